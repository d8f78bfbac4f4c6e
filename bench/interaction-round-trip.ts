import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BotProcess, standInEnvironment } from '../tests/harness/bot-process.js';
import { DiscordStandIn } from '../tests/harness/discord/index.js';
import { KalturaStandIn } from '../tests/harness/kaltura/index.js';
import { percentile } from './stats.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');
const SEQUENTIAL = Number(process.env.BENCH_INTERACTIONS ?? 400);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 400);
const IN_FLIGHT = 25;

interface Subject {
	readonly pid: number;
	stop(): Promise<unknown>;
}

/** A stand-in with one member in `guilds` guilds; rate limits off so they do not dominate the figures. */
export async function standIn(guilds: number): Promise<{ discord: DiscordStandIn; guildId: string; memberId: string }> {
	const discord = await DiscordStandIn.start({
		globalRateLimit: false,
		defaultRouteRateLimit: { limit: 1_000_000, windowMs: 1000 },
		heartbeatIntervalMs: 41_250,
		maxGuildsPerShard: 2_500,
		sessionStartLimit: { total: 1000, maxConcurrency: 16 }
	});
	const first = discord.addGuild({ name: 'bench-0' });
	const memberId = discord.addMember(first.id, { user: { username: 'bencher' } }).user!.id;
	for (let index = 1; index < guilds; index++) discord.addGuild({ name: `bench-${index}`, createGeneralChannel: index % 10 === 0 });
	return { discord, guildId: first.id, memberId };
}

async function startBot(discord: DiscordStandIn, kaltura: KalturaStandIn): Promise<Subject> {
	return BotProcess.start({
		readyTimeoutMs: 120_000,
		compiled: true,
		env: {
			...standInEnvironment({ discord, kaltura }),
			JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-for-hs256',
			NODE_ENV: 'production',
			LOG_LEVEL: 'warn'
		}
	});
}

async function startBare(discord: DiscordStandIn): Promise<Subject> {
	const child: ChildProcess = spawn(process.execPath, ['bench/bare-client.mjs'], {
		cwd: PROJECT_ROOT,
		env: { PATH: process.env.PATH ?? '', DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.restUrl },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise<void>((done, fail) => {
		const timer = setTimeout(() => fail(new Error('bare client not ready in 120 s')), 120_000);
		child.stdout!.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('READY')) {
				clearTimeout(timer);
				done();
			}
		});
		child.once('exit', (code, signal) => fail(new Error(`bare client exited (${code ?? signal})`)));
	});
	return {
		pid: child.pid!,
		stop: () => new Promise((done) => (child.kill('SIGTERM'), child.once('exit', done)))
	};
}

/** Resident set size of a process, from /proc, in MiB. */
function rssMiB(pid: number): number {
	const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) / 1024 : Number.NaN;
}

export interface Target {
	readonly discord: DiscordStandIn;
	readonly guildId: string;
	readonly memberId: string;
}

/** One `/about` through the stand-in's gateway, timed until its callback reaches the stand-in. */
export async function roundTrip({ discord, guildId, memberId }: Target): Promise<number> {
	const start = process.hrtime.bigint();
	await discord.runSlashCommand({ guildId, memberId, name: 'about' }).waitForCallback(10_000);
	return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Latency samples of both subjects, taken in alternating batches so that whatever else the shared
 * machine is doing weighs on both alike, rather than on whichever happened to run second.
 */
async function interleavedLatencies(targets: readonly Target[], total: number, batch = 50): Promise<number[][]> {
	const samples = targets.map(() => [] as number[]);
	for (const target of targets) for (let index = 0; index < 30; index++) await roundTrip(target); // warm-up: JIT, caches, connections
	for (let done = 0; done < total; done += batch) {
		for (const [index, target] of targets.entries()) {
			for (let count = 0; count < Math.min(batch, total - done); count++) samples[index]!.push(await roundTrip(target));
		}
	}
	return samples.map((list) => list.sort((a, b) => a - b));
}

async function throughput(target: Target): Promise<number> {
	const started = Date.now();
	let next = 0;
	const worker = async () => {
		while (next++ < CONCURRENT) await roundTrip(target);
	};
	await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
	return CONCURRENT / ((Date.now() - started) / 1000);
}

async function startSubject(kind: 'bot' | 'bare', guilds: number, kaltura: KalturaStandIn): Promise<Target & { subject: Subject; rss: number }> {
	const target = await standIn(guilds);
	const subject = kind === 'bot' ? await startBot(target.discord, kaltura) : await startBare(target.discord);
	await new Promise((done) => setTimeout(done, 1500)); // let start-up garbage settle before reading RSS
	return { ...target, subject, rss: rssMiB(subject.pid) };
}

async function stopSubject({ subject, discord }: { subject: Subject; discord: DiscordStandIn }): Promise<void> {
	await subject.stop();
	await discord.stop();
}

/**
 * Both sides run on plain Node: the bot from its compiled build (as the Docker image runs it), the
 * baseline as plain JavaScript, so neither pays for a TypeScript loader.
 */
export async function benchInteractionRoundTrip(): Promise<Record<string, string>> {
	execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
		cwd: PROJECT_ROOT,
		stdio: 'inherit'
	});
	const kaltura = await KalturaStandIn.start();
	try {
		const bot = await startSubject('bot', 1, kaltura);
		const bare = await startSubject('bare', 1, kaltura);
		const [botLatency, bareLatency] = await interleavedLatencies([bot, bare], SEQUENTIAL);
		const botRate = await throughput(bot);
		const bareRate = await throughput(bare);
		await stopSubject(bot);
		await stopSubject(bare);
		const bot5k = await startSubject('bot', 5_000, kaltura);
		await stopSubject(bot5k);
		const bare5k = await startSubject('bare', 5_000, kaltura);
		await stopSubject(bare5k);
		const ms = (value: number) => `${value.toFixed(2)} ms`;
		const p50 = (list: number[]) => percentile(list, 50);
		const p99 = (list: number[]) => percentile(list, 99);
		return {
			[`bot /about p50 / p99 (${SEQUENTIAL} sequential)`]: `${ms(p50(botLatency!))} / ${ms(p99(botLatency!))}`,
			[`bare discord.js p50 / p99`]: `${ms(p50(bareLatency!))} / ${ms(p99(bareLatency!))}`,
			'ratio p50 bot/bare (goal <= 1.5)': (p50(botLatency!) / p50(bareLatency!)).toFixed(2),
			[`bot interactions/s (${IN_FLIGHT} in flight)`]: botRate.toFixed(0),
			'bare interactions/s': bareRate.toFixed(0),
			'RSS after READY, 1 guild: bot / bare': `${bot.rss.toFixed(1)} MiB / ${bare.rss.toFixed(1)} MiB`,
			'RSS after READY, 5,000 guilds: bot / bare': `${bot5k.rss.toFixed(1)} MiB / ${bare5k.rss.toFixed(1)} MiB`
		};
	} finally {
		await kaltura.stop();
	}
}
