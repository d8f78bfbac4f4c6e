import { median, percentile } from '../stats.js';
import type { InteractionBlock, WebhookBlock } from './throughput.js';

/** What one configuration measured over its rounds, the blocks of every round put together. */
export interface ConfigurationResults {
	readonly label: string;
	/** Per process, CPU ms per second with no load. */
	readonly idleCpu: number[];
	readonly interactions: InteractionBlock[];
	readonly webhooks: WebhookBlock[];
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const seconds = (value: number): string => `${(value / 1000).toFixed(2)} s`;
const total = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0);
const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

interface Rates {
	/** Operations over the time the blocks took, all rounds together. */
	readonly rate: number;
	/** Each round's rate, lowest first. */
	readonly perRound: number[];
	readonly latencies: number[];
	readonly count: number;
}

function ratesOf(blocks: readonly { readonly load: { count: number; seconds: number; rate: number; latencies: number[] } }[]): Rates {
	const count = total(blocks.map((block) => block.load.count));
	return {
		rate: count / total(blocks.map((block) => block.load.seconds)),
		perRound: sorted(blocks.map((block) => block.load.rate)),
		latencies: sorted(blocks.flatMap((block) => block.load.latencies)),
		count
	};
}

const roundsOf = (rates: Rates): string => rates.perRound.map((rate) => rate.toFixed(0)).join(' / ');

/**
 * Rows for the bench's output: per configuration, interactions and webhooks per second (all rounds together, and each
 * round's, lowest first), the ratio to the first configuration, percentiles of the round trip, CPU per operation, and the
 * webhooks' deliveries.
 */
export function throughputRows(results: readonly ConfigurationResults[]): Record<string, string> {
	const rows: Record<string, string> = {};
	const [first] = results;
	const firstInteractions = first === undefined ? undefined : ratesOf(first.interactions);
	const firstWebhooks = first === undefined ? undefined : ratesOf(first.webhooks);
	for (const result of results) {
		rows[`idle, ${result.label}: CPU per process, ms per s`] = result.idleCpu.map((value) => value.toFixed(1)).join(' / ');
		const interactions = ratesOf(result.interactions);
		rows[`interactions, ${result.label}: /s (rounds), ratio to 1 process, p50 / p99`] = [
			`${interactions.rate.toFixed(0)} (${roundsOf(interactions)})`,
			(interactions.rate / (firstInteractions?.rate ?? Number.NaN)).toFixed(2),
			`${ms(percentile(interactions.latencies, 50))} / ${ms(percentile(interactions.latencies, 99))}`
		].join(', ');
		const botCpu = total(result.interactions.map((block) => block.botCpuMs)) / interactions.count;
		const benchCpu = total(result.interactions.map((block) => block.benchCpuMs)) / interactions.count;
		rows[`interactions, ${result.label}: CPU per interaction, bots / bench process (stand-ins + load)`] =
			`${ms(botCpu)} / ${ms(benchCpu)} (${interactions.count} interactions)`;

		const webhooks = ratesOf(result.webhooks);
		rows[`webhooks, ${result.label}: accepted /s (rounds), ratio to 1 process, p50 / p99 send → 200`] = [
			`${webhooks.rate.toFixed(0)} (${roundsOf(webhooks)})`,
			(webhooks.rate / (firstWebhooks?.rate ?? Number.NaN)).toFixed(2),
			`${ms(percentile(webhooks.latencies, 50))} / ${ms(percentile(webhooks.latencies, 99))}`
		].join(', ');
		const posted = total(result.webhooks.map((block) => block.posted));
		const expected = total(result.webhooks.map((block) => block.postsExpected));
		const allPosted = result.webhooks.map((block) => block.allPostedMs);
		const drains = result.webhooks.map((block) => block.drainMs);
		const postRate = posted / (total(allPosted) / 1000);
		rows[`webhooks, ${result.label}: posts made / expected; first send → last post, median (rounds); last 200 → last post, median`] =
			`${posted} / ${expected}; ${seconds(median(allPosted))} (${sorted(allPosted).map(seconds).join(' / ')}); ${seconds(median(drains))}`;
		rows[`webhooks, ${result.label}: posts/s first send → last post; bot CPU per webhook (its posts included)`] =
			`${postRate.toFixed(0)}; ${ms(total(result.webhooks.map((block) => block.botCpuMs)) / webhooks.count)}`;
	}
	return rows;
}

/** Up to `shown` of the lines the bots printed, counted. */
export function complaintRows(name: string, complaints: readonly string[], shown = 5): Record<string, string> {
	if (complaints.length === 0) return { [`${name}: lines the bots printed at warn or above`]: '0' };
	const lines = complaints.slice(0, shown).map((line) => `\n      ${line.slice(0, 400)}`);
	return { [`${name}: lines the bots printed at warn or above`]: `${complaints.length}${lines.join('')}` };
}
