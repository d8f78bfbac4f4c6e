import type { Block, Pair, Side } from './ab-pairs.js';
import { median, percentile } from './stats.js';

/**
 * A seeded pseudo-random source (mulberry32), so that the order of an A/B schedule and the resamples of a bootstrap are the
 * same from one run to the next: two runs of the same code then differ only by what the machine did, not by the dice.
 */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let mixed = state;
		mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
		mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** A figure of the plugin on over the same figure off, from a set of pairs. */
export type Estimator = (pairs: readonly Pair[]) => number;

const blocksOf = (pairs: readonly Pair[], side: Side): Block[] => pairs.flatMap((pair) => pair[side]);

/** The median cost of every event on, over the same off: both sides' events pooled across the pairs. */
export const medianCostRatio: Estimator = (pairs) => {
	const pooled = (side: Side) => median(blocksOf(pairs, side).flatMap((block) => block.costs));
	return pooled('on') / pooled('off');
};

/** The bots' main-thread CPU per event, on over off, over every block: CPU adds up, so the totals, not a median. */
export const cpuPerEventRatio: Estimator = (pairs) => {
	const perEvent = (side: Side) => {
		const blocks = blocksOf(pairs, side);
		return blocks.reduce((sum, block) => sum + block.cpuNs, 0) / blocks.reduce((sum, block) => sum + block.events, 0);
	};
	return perEvent('on') / perEvent('off');
};

/** Per-event figure of one side, the median over its blocks: `figure` gets a block and answers per event. */
export function sideFigure(pairs: readonly Pair[], side: Side, figure: (block: Block) => number): number {
	return median(blocksOf(pairs, side).map(figure));
}

export interface Estimate {
	/** The estimator over every pair. */
	readonly value: number;
	/** 95 % bootstrap confidence interval, the pairs resampled (percentile method). */
	readonly ciLow: number;
	readonly ciHigh: number;
	/** The estimator over each pair alone: its median and interquartile range, how much one pair says. */
	readonly pairMedian: number;
	readonly pairP25: number;
	readonly pairP75: number;
	readonly pairs: number;
}

/**
 * An estimator over the pairs, with its spread: a bootstrap interval that resamples the segments (each a start of both bots,
 * whose processes differ by a few percent on their own however long they run), then the pairs within each (so that what the
 * machine did to both sides of a pair stays together); and the distribution of the one-pair figures. Medians, not means, for
 * latencies: one pair hit by a neighbour's burst of work is an outlier to ignore, not a cost to average in.
 */
export function estimate(pairs: readonly Pair[], estimator: Estimator, resamples = 1_000, seed = 0x5eed): Estimate {
	const random = seededRandom(seed);
	const draw = <T>(from: readonly T[]): T[] => Array.from(from, () => from[Math.floor(random() * from.length)] ?? (from[0] as T));
	const segments = bySegment(pairs);
	const resampled: number[] = [];
	for (let round = 0; round < resamples; round++) resampled.push(estimator(draw(segments).flatMap((segment) => draw(segment))));
	const sortedResampled = [...resampled].sort((a, b) => a - b);
	const perPair = pairs.map((pair) => estimator([pair])).sort((a, b) => a - b);
	return {
		value: estimator(pairs),
		ciLow: percentile(sortedResampled, 2.5),
		ciHigh: percentile(sortedResampled, 97.5),
		pairMedian: percentile(perPair, 50),
		pairP25: percentile(perPair, 25),
		pairP75: percentile(perPair, 75),
		pairs: pairs.length
	};
}

/** The pairs of each segment, segments in the order run. */
function bySegment(pairs: readonly Pair[]): Pair[][] {
	const segments = new Map<number, Pair[]>();
	for (const pair of pairs) segments.set(pair.segment, [...(segments.get(pair.segment) ?? []), pair]);
	return [...segments.values()];
}

/** The estimator over each segment alone, in the order run: how much the bots of one start differ from the next. */
export function perSegment(pairs: readonly Pair[], estimator: Estimator): number[] {
	return bySegment(pairs).map((segment) => estimator(segment));
}

/** A ratio of costs as a ratio of throughputs: the inverse, its bounds swapped. */
export function inverse(figure: Estimate): Estimate {
	return {
		value: 1 / figure.value,
		ciLow: 1 / figure.ciHigh,
		ciHigh: 1 / figure.ciLow,
		pairMedian: 1 / figure.pairMedian,
		pairP25: 1 / figure.pairP75,
		pairP75: 1 / figure.pairP25,
		pairs: figure.pairs
	};
}

/** `1.012 (95 % CI 1.004–1.019; one pair: median 1.010, IQR 0.981–1.040; 60 pairs)` */
export function formatEstimate(figure: Estimate): string {
	const f = (value: number) => value.toFixed(3);
	return (
		`${f(figure.value)} (95 % CI ${f(figure.ciLow)}–${f(figure.ciHigh)}; ` +
		`one pair: median ${f(figure.pairMedian)}, IQR ${f(figure.pairP25)}–${f(figure.pairP75)}; ${figure.pairs} pairs)`
	);
}
