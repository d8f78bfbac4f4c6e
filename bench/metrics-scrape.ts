import { Counter, Histogram } from 'prom-client';
import { BotMetrics, type MetricDefinition } from '../src/core/metrics/bot-metrics.js';
import { nanosPerCallSync, percentile } from './stats.js';

const SERIES = Number(process.env.BENCH_SCRAPE_SERIES ?? 10_000);
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 50);
const OUTCOMES = ['ok', 'denied', 'user_error', 'failed'];

/**
 * `/metrics` with 10,000 series: a registry of its own (the bot's kind, process metrics included) holding a counter shaped
 * like `interactions_total` (command × outcome) with SERIES label sets, scraped as the plugin's route does.
 */
export async function benchMetricsScrape(): Promise<Record<string, string>> {
	const definition: MetricDefinition = {
		kind: 'counter',
		spec: { name: 'bench_interactions_total', help: 'Series made for the scrape benchmark', labelNames: ['command', 'outcome'] }
	};
	const metrics = new BotMetrics(() => [definition]);
	metrics.enable();
	const counter = metrics.instrument(definition);
	if (!(counter instanceof Counter)) throw new TypeError('the benchmark counter was not made as a counter');
	for (let index = 0; index < SERIES; index++)
		counter.inc({ command: `command-${Math.floor(index / OUTCOMES.length)}`, outcome: OUTCOMES[index % OUTCOMES.length] ?? 'ok' });
	for (let index = 0; index < 5; index++) await metrics.scrape(); // warm-up
	const durations: number[] = [];
	let bytes = 0;
	let lines = 0;
	for (let index = 0; index < SCRAPES; index++) {
		const started = process.hrtime.bigint();
		const { text } = await metrics.scrape();
		durations.push(Number(process.hrtime.bigint() - started) / 1e6);
		bytes = Buffer.byteLength(text);
		lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
	}
	durations.sort((a, b) => a - b);
	return {
		'recording one interaction (counter, 4 labels + histogram, 3 labels)': `${(recordingNanos() / 1000).toFixed(2)} µs`,
		[`scrape p50 / p99 (${SCRAPES} scrapes)`]: `${percentile(durations, 50).toFixed(1)} ms / ${percentile(durations, 99).toFixed(1)} ms`,
		'series in the exposition (10,000 made + process metrics)': String(lines),
		'exposition size': `${(bytes / 1024 / 1024).toFixed(2)} MiB (${bytes} bytes, uncompressed)`
	};
}

/** What the core records per interaction, on a registry of its own: one counter increment and one histogram observation. */
function recordingNanos(): number {
	const counterDefinition: MetricDefinition = {
		kind: 'counter',
		spec: { name: 'bench_recorded_total', help: 'Recording cost', labelNames: ['kind', 'command', 'subcommand', 'outcome'] }
	};
	const histogramDefinition: MetricDefinition = {
		kind: 'histogram',
		spec: { name: 'bench_recorded_seconds', help: 'Recording cost', labelNames: ['kind', 'command', 'outcome'] }
	};
	const metrics = new BotMetrics(() => [counterDefinition, histogramDefinition]);
	metrics.enable();
	const counter = metrics.instrument(counterDefinition);
	const histogram = metrics.instrument(histogramDefinition);
	if (!(counter instanceof Counter) || !(histogram instanceof Histogram)) throw new TypeError('the benchmark instruments were not made');
	return nanosPerCallSync(() => {
		counter.inc({ kind: 'chat_input', command: 'about', subcommand: '', outcome: 'ok' });
		histogram.observe({ kind: 'chat_input', command: 'about', outcome: 'ok' }, 0.0015);
	}, 200_000);
}
