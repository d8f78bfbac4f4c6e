import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { freePort, standInEnvironment } from '../tests/harness/bot-process.js';
import type { DiscordStandIn } from '../tests/harness/discord/index.js';
import { KalturaStandIn } from '../tests/harness/kaltura/index.js';
import { roundTrip, standIn, type Target } from './interaction-round-trip.js';
import { ADMIN_SECRET, load } from './notifications-ingest.js';
import { median, percentile } from './stats.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_OVERHEAD_ROUNDS ?? 6);
const INTERACTIONS_PER_ROUND = Number(process.env.BENCH_OVERHEAD_INTERACTIONS ?? 200);
const WEBHOOKS_PER_ROUND = Number(process.env.BENCH_OVERHEAD_WEBHOOKS ?? 2_000);

interface Bot {
	readonly apiUrl: string;
	stop(): Promise<void>;
}

/**
 * A fresh compiled build in a directory of its own (`<root>/dist`, with the package.json the build writes there for `#sdk`),
 * next to links to the checkout's `node_modules` and `config/` (the bot finds both from where its code is). Fresh, so that no
 * file left in the checkout's `dist/` by an earlier build is loaded. Without `metrics`, `dist/plugins/metrics` is removed: the
 * plugin is then not loaded at all and every instrument is the no-op of a bot without it; nothing else differs.
 */
function compiledTree(metrics: boolean): string {
	const root = mkdtempSync(join(tmpdir(), `kaltura-discord-bench-${metrics ? 'with' : 'without'}-metrics-`));
	const typescript = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
	execFileSync(process.execPath, [typescript, '-p', 'tsconfig.build.json', '--outDir', join(root, 'dist')], {
		cwd: PROJECT_ROOT,
		stdio: 'inherit'
	});
	const { name, version, type, imports } = z
		.object({ name: z.string(), version: z.string(), type: z.string(), imports: z.record(z.string(), z.string()) })
		.parse(JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')));
	writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ name, version, private: true, type, imports }));
	if (!metrics) rmSync(join(root, 'dist', 'plugins', 'metrics'), { recursive: true, force: true });
	symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
	symlinkSync(join(PROJECT_ROOT, 'config'), join(root, 'config'));
	return root;
}

/** The compiled bot of `root` (the checkout, or the copy without the plugin), ready once its API says so. */
async function startBot(root: string, env: Record<string, string>): Promise<Bot> {
	const port = String(await freePort());
	const dataDirectory = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kaltura-discord-bench-'));
	const child: ChildProcess = spawn(process.execPath, [join(root, 'dist/src/main.js')], {
		cwd: root,
		env: {
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? '',
			API_HOST: '127.0.0.1',
			API_PORT: port,
			DATA_DIR: dataDirectory,
			JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-for-hs256',
			NODE_ENV: 'production',
			LOG_LEVEL: 'warn',
			...env
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const exited = new Promise((done) => child.once('exit', done));
	const apiUrl = `http://127.0.0.1:${port}/api/v1`;
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the bot of ${root} exited before it was ready`);
		const ready = await fetch(`${apiUrl}/ready`).then(
			(response) => response.status === 200,
			() => false
		);
		if (ready) break;
		if (Date.now() > deadline) throw new Error(`the bot of ${root} was not ready in 120 s`);
		await new Promise((done) => setTimeout(done, 200));
	}
	return {
		apiUrl,
		stop: async () => {
			child.kill('SIGTERM');
			await exited;
			rmSync(dataDirectory, { recursive: true, force: true });
		}
	};
}

interface Subject {
	readonly name: 'on' | 'off';
	readonly bot: Bot;
	readonly target: Target & { discord: DiscordStandIn };
}

async function startSubject(name: 'on' | 'off', root: string, kaltura: KalturaStandIn): Promise<Subject> {
	const target = await standIn(1);
	const bot = await startBot(root, standInEnvironment({ discord: target.discord, kaltura }));
	return { name, bot, target };
}

/**
 * Instrumentation overhead: the same compiled bot with and without the metrics plugin, measured in the same run in
 * alternating rounds (so the shared machine's load weighs on both alike), and the scrape of a registry of 10,000 series.
 * With the plugin, nothing scrapes during the rounds: what is measured is what recording costs each interaction and webhook.
 */
export async function benchMetricsOverhead(): Promise<Record<string, string>> {
	const withMetrics = compiledTree(true);
	const withoutMetrics = compiledTree(false);
	const kaltura = await KalturaStandIn.start({ partnerId: 5151, adminSecret: ADMIN_SECRET, notifications: { autoDispatch: false } });
	const subjects: Subject[] = [];
	try {
		subjects.push(await startSubject('on', withMetrics, kaltura), await startSubject('off', withoutMetrics, kaltura));
		const [on, off] = subjects;
		if (on === undefined || off === undefined) throw new Error('both bots must start');
		const scraped = await fetch(`${on.bot.apiUrl}/metrics`);
		const unscraped = await fetch(`${off.bot.apiUrl}/metrics`);
		if (scraped.status !== 200 || unscraped.status === 200)
			throw new Error(`/metrics answered ${scraped.status} with the plugin, ${unscraped.status} without`);

		const latencies = { on: [] as number[], off: [] as number[] };
		const ingestRates = { on: [] as number[], off: [] as number[] };
		const ingestLatencies = { on: [] as number[], off: [] as number[] };
		for (const subject of subjects) {
			for (let index = 0; index < 30; index++) await roundTrip(subject.target); // warm-up: JIT, caches, connections
			await load(`${subject.bot.apiUrl}/webhooks/kaltura`, 300);
		}
		for (let round = 0; round < ROUNDS; round++) {
			// Which goes first alternates too.
			for (const subject of round % 2 === 0 ? subjects : [...subjects].reverse()) {
				for (let count = 0; count < INTERACTIONS_PER_ROUND; count++) latencies[subject.name].push(await roundTrip(subject.target));
				const ingest = await load(`${subject.bot.apiUrl}/webhooks/kaltura`, WEBHOOKS_PER_ROUND);
				ingestRates[subject.name].push(ingest.rate);
				ingestLatencies[subject.name].push(percentile(ingest.latencies, 50));
			}
		}
		const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
		const p50 = (list: number[]) => percentile(sorted(list), 50);
		const p99 = (list: number[]) => percentile(sorted(list), 99);
		const ms = (value: number) => `${value.toFixed(2)} ms`;
		const total = ROUNDS * INTERACTIONS_PER_ROUND;
		return {
			[`/about p50 / p99, plugin on (${total} sequential)`]: `${ms(p50(latencies.on))} / ${ms(p99(latencies.on))}`,
			'/about p50 / p99, plugin off': `${ms(p50(latencies.off))} / ${ms(p99(latencies.off))}`,
			'interaction p50 ratio on/off (goal <= 1.03)': (p50(latencies.on) / p50(latencies.off)).toFixed(3),
			[`webhooks/s, median of ${ROUNDS} rounds of ${WEBHOOKS_PER_ROUND}: on / off`]: `${median(ingestRates.on).toFixed(0)} / ${median(ingestRates.off).toFixed(0)}`,
			'webhook throughput ratio on/off (goal >= 0.97)': (median(ingestRates.on) / median(ingestRates.off)).toFixed(3),
			'webhooks/s of each round: on / off': `${ingestRates.on.map((rate) => rate.toFixed(0)).join(' ')} / ${ingestRates.off.map((rate) => rate.toFixed(0)).join(' ')}`,
			'webhook p50, median of rounds: on / off': `${ms(median(ingestLatencies.on))} / ${ms(median(ingestLatencies.off))}`
		};
	} finally {
		for (const subject of subjects) {
			await subject.bot.stop();
			await subject.target.discord.stop();
		}
		await kaltura.stop();
		for (const root of [withMetrics, withoutMetrics]) rmSync(root, { recursive: true, force: true });
	}
}
