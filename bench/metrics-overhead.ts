import { rmSync } from 'node:fs';
import { standInEnvironment } from '../tests/harness/bot-process.js';
import type { DiscordStandIn } from '../tests/harness/discord/index.js';
import { KalturaStandIn } from '../tests/harness/kaltura/index.js';
import { alternatingPairs, measuredBlock, type Block, type Pair, type Side } from './ab-pairs.js';
import { compiledTrees, startCompiledBot, type CompiledBot } from './compiled-bot.js';
import { roundTrip, standIn, type Target } from './interaction-round-trip.js';
import { ADMIN_SECRET } from './notifications-ingest.js';
import { cpuPerEventRatio, estimate, formatEstimate, inverse, medianCostRatio, perSegment, seededRandom, sideFigure } from './paired-stats.js';
import { metricsHotPathNanos } from './metrics-hot-path.js';
import { percentile } from './stats.js';
import { WebhookClient } from './webhook-client.js';

const PARTNER_ID = 5151;
const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
/** Pairs of each kind measured (each pair is four blocks: A B B A or B A A B), after the warm-up pairs. */
const INTERACTION_PAIRS = number('BENCH_OVERHEAD_INTERACTION_PAIRS', 400);
const WEBHOOK_PAIRS = number('BENCH_OVERHEAD_WEBHOOK_PAIRS', 160);
/** Pairs run and discarded after each start of the bots (JIT, caches, connections, SQLite pages). */
const WARM_UP_PAIRS = number('BENCH_OVERHEAD_WARM_UP_PAIRS', 8);
/**
 * Both bots are started afresh this many times, the pairs shared among the starts, which bot starts first alternating: two
 * processes of the same build differ by a few percent for as long as they run (the A/A run shows it), so one start of each
 * would measure their luck along with the plugin.
 */
const SEGMENTS = number('BENCH_OVERHEAD_SEGMENTS', 4);
/** Sequential `/about`s per block: few, so that on and off alternate faster than the machine's load changes. */
const INTERACTIONS_PER_BLOCK = number('BENCH_OVERHEAD_INTERACTIONS', 5);
/** Webhooks per block, 50 in flight; the block's figure is its wall time per webhook. */
const WEBHOOKS_PER_BLOCK = number('BENCH_OVERHEAD_WEBHOOKS', 100);
/** The order of the pairs is drawn from this seed: the same schedule every run, still unrelated to the machine's load. */
const SEED = number('BENCH_SEED', 1);
/**
 * `BENCH_OVERHEAD_A_A=1`: both bots with the plugin, the A/A run that calibrates the bench. Its ratios should straddle 1; how far
 * they stray is what two processes of the same code differ by on this machine, below which no overhead can be told apart.
 */
const A_A = process.env.BENCH_OVERHEAD_A_A === '1';

interface Subject {
	readonly bot: CompiledBot;
	readonly target: Target & { discord: DiscordStandIn };
	readonly webhooks: WebhookClient;
}

async function startSubject(root: string, kaltura: KalturaStandIn): Promise<Subject> {
	const target = await standIn(1);
	const bot = await startCompiledBot(root, standInEnvironment({ discord: target.discord, kaltura }));
	return { bot, target, webhooks: new WebhookClient(`${bot.apiUrl}/webhooks/kaltura`, PARTNER_ID, ADMIN_SECRET) };
}

/** A block of sequential `/about`s: the latency of each. */
async function interactionBlock(subject: Subject): Promise<Block> {
	return measuredBlock(subject.bot.pid, async () => {
		const costs: number[] = [];
		for (let count = 0; count < INTERACTIONS_PER_BLOCK; count++) costs.push(await roundTrip(subject.target));
		return { costs, events: costs.length };
	});
}

/** A burst of webhooks: its wall time per webhook. */
async function webhookBlock(subject: Subject): Promise<Block> {
	return measuredBlock(subject.bot.pid, async () => ({ costs: [await subject.webhooks.burst(WEBHOOKS_PER_BLOCK)], events: WEBHOOKS_PER_BLOCK }));
}

/** A per-event figure of each side, the median over its blocks: `on / off unit`. */
function perSide(pairs: readonly Pair[], figure: (block: Block) => number, unit: string, digits = 1): string {
	return `${sideFigure(pairs, 'on', figure).toFixed(digits)} / ${sideFigure(pairs, 'off', figure).toFixed(digits)} ${unit}`;
}

/** One start of both bots (which first: alternating by segment) and its share of the pairs, interactions then webhooks. */
async function runSegment(
	segment: number,
	roots: Record<Side, string>,
	kaltura: KalturaStandIn,
	random: () => number
): Promise<{ interactions: Pair[]; webhooks: Pair[] }> {
	const started: Partial<Record<Side, Subject>> = {};
	try {
		for (const side of segment % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const))
			started[side] = await startSubject(roots[side], kaltura);
		const { on, off } = started;
		if (on === undefined || off === undefined) throw new Error('both bots must start');
		const scraped = await fetch(`${on.bot.apiUrl}/metrics`);
		const unscraped = await fetch(`${off.bot.apiUrl}/metrics`);
		if (scraped.status !== 200 || (unscraped.status === 200) !== A_A)
			throw new Error(`/metrics answered ${scraped.status} with the plugin, ${unscraped.status} without`);
		const subjects: Record<Side, Subject> = { on, off };
		const share = (total: number) => Math.ceil(total / SEGMENTS);
		const interactions = await alternatingPairs({
			segment,
			pairs: share(INTERACTION_PAIRS),
			warmUpPairs: WARM_UP_PAIRS,
			random,
			block: (side) => interactionBlock(subjects[side])
		});
		const webhooks = await alternatingPairs({
			segment,
			pairs: share(WEBHOOK_PAIRS),
			warmUpPairs: WARM_UP_PAIRS,
			random,
			block: (side) => webhookBlock(subjects[side])
		});
		return { interactions, webhooks };
	} finally {
		for (const subject of Object.values(started)) {
			subject.webhooks.close();
			await subject.bot.stop();
			await subject.target.discord.stop();
		}
	}
}

/**
 * Instrumentation overhead: the same compiled bot with and without the metrics plugin, both running at once, measured in many
 * short A/B pairs (ABBA or BAAB, drawn from a fixed seed) so that the shared machine's load weighs on both alike, over several
 * starts of both bots. Each figure comes with a 95 % bootstrap interval (starts, then pairs, resampled) and the spread of the
 * one-pair figures, so that a run says how far it can be trusted. Beside wall time, the bots' main-thread CPU per event (from /proc): recording is synchronous work on that thread,
 * so this figure is what the plugin costs with less of the noise of a latency; and the recording hot path timed in this process,
 * which hardly moves from run to run. With the plugin, nothing scrapes during the pairs.
 */
export async function benchMetricsOverhead(): Promise<Record<string, string>> {
	const hotPath = await metricsHotPathNanos();
	const roots = compiledTrees({ 'with-metrics': [], 'without-metrics': A_A ? [] : ['metrics'] });
	const withMetrics = roots['with-metrics'] ?? '';
	const withoutMetrics = roots['without-metrics'] ?? '';
	const kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET, notifications: { autoDispatch: false } });
	try {
		const random = seededRandom(SEED);
		const interactions: Pair[] = [];
		const webhooks: Pair[] = [];
		for (let segment = 0; segment < SEGMENTS; segment++) {
			const measured = await runSegment(segment, { on: withMetrics, off: withoutMetrics }, kaltura, random);
			interactions.push(...measured.interactions);
			webhooks.push(...measured.webhooks);
		}

		const pooled = (side: Side) => {
			const sorted = interactions.flatMap((pair) => pair[side].flatMap((block) => block.costs)).sort((a, b) => a - b);
			return `${percentile(sorted, 50).toFixed(2)} / ${percentile(sorted, 99).toFixed(2)} ms`;
		};
		const micros = (block: Block) => block.cpuNs / block.events / 1000;
		const ns = (nanos: number) => `${Math.round(nanos)} ns`;
		const f3 = (value: number) => value.toFixed(3);
		const webhookTime = estimate(webhooks, medianCostRatio);
		return {
			...(A_A ? { 'A/A calibration run': 'both bots WITH the plugin: the ratios below measure the bench, not the plugin' } : {}),
			'recording cost in process (best of 15 rounds): per /about interaction + its REST answer, per webhook, per Kaltura call': `${ns(
				hotPath.interaction + hotPath.restResponse
			)}, ${ns(hotPath.webhook)}, ${ns(hotPath.kalturaCall)}`,
			[`interaction p50 latency ratio on/off, ${INTERACTION_PAIRS} pairs of ${INTERACTIONS_PER_BLOCK}-/about blocks (goal <= 1.03)`]:
				formatEstimate(estimate(interactions, medianCostRatio)),
			'interaction bot main-thread CPU ratio on/off': formatEstimate(estimate(interactions, cpuPerEventRatio)),
			'bot main-thread CPU per interaction, median block: on / off': perSide(interactions, micros, 'µs'),
			'/about p50 / p99, measured blocks: on': pooled('on'),
			'/about p50 / p99, measured blocks: off': pooled('off'),
			[`webhook time ratio on/off, ${WEBHOOK_PAIRS} pairs of ${WEBHOOKS_PER_BLOCK}-webhook blocks (goal <= 1.03)`]: formatEstimate(webhookTime),
			'webhook throughput ratio on/off (goal >= 0.97)': formatEstimate(inverse(webhookTime)),
			'webhook bot main-thread CPU ratio on/off': formatEstimate(estimate(webhooks, cpuPerEventRatio)),
			'bot main-thread CPU per webhook, median block: on / off': perSide(webhooks, micros, 'µs'),
			'webhooks/s, median block: on / off': perSide(webhooks, (block) => 1000 / (block.costs[0] ?? Number.NaN), '/s', 0),
			[`each of the ${SEGMENTS} starts of the bots: interaction p50 ratio | CPU ratio`]: `${perSegment(interactions, medianCostRatio).map(f3).join(' ')} | ${perSegment(interactions, cpuPerEventRatio).map(f3).join(' ')}`,
			[`each of the ${SEGMENTS} starts of the bots: webhook time ratio | CPU ratio`]: `${perSegment(webhooks, medianCostRatio).map(f3).join(' ')} | ${perSegment(webhooks, cpuPerEventRatio).map(f3).join(' ')}`,
			'machine contention: bot main-thread wait for a core per /about, median block: on / off': perSide(
				interactions,
				(block) => block.waitNs / block.events / 1000,
				'µs'
			)
		};
	} finally {
		await kaltura.stop();
		for (const root of Object.values(roots)) rmSync(root, { recursive: true, force: true });
	}
}
