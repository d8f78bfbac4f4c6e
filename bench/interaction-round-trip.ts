import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BotProcess } from '../tests/harness/bot-process.js';
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
async function standIn(guilds: number): Promise<{ discord: DiscordStandIn; guildId: string; memberId: string }> {
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
			DISCORD_TOKEN: discord.token,
			DISCORD_API_URL: discord.restUrl,
			KALTURA_PARTNER_ID: String(kaltura.partnerId),
			KALTURA_ADMIN_SECRET: kaltura.adminSecret,
			KALTURA_SERVICE_URL: kaltura.serviceUrl,
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

async function roundTrips(discord: DiscordStandIn, guildId: string, memberId: string): Promise<{ p50: number; p99: number; perSecond: number }> {
	const once = async () => {
		const start = process.hrtime.bigint();
		await discord.runSlashCommand({ guildId, memberId, name: 'about' }).waitForCallback(10_000);
		return Number(process.hrtime.bigint() - start) / 1e6;
	};
	for (let index = 0; index < 30; index++) await once(); // warm-up: JIT, caches, connection pools
	const samples: number[] = [];
	for (let index = 0; index < SEQUENTIAL; index++) samples.push(await once());
	samples.sort((a, b) => a - b);

	const started = Date.now();
	let next = 0;
	const worker = async () => {
		while (next++ < CONCURRENT) await once();
	};
	await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
	const perSecond = CONCURRENT / ((Date.now() - started) / 1000);
	return { p50: percentile(samples, 50), p99: percentile(samples, 99), perSecond };
}

async function measure(kind: 'bot' | 'bare', guilds: number, kaltura: KalturaStandIn, timing: boolean) {
	const { discord, guildId, memberId } = await standIn(guilds);
	const subject = kind === 'bot' ? await startBot(discord, kaltura) : await startBare(discord);
	try {
		await new Promise((done) => setTimeout(done, 1500)); // let start-up garbage settle before reading RSS
		const rss = rssMiB(subject.pid);
		const timings = timing ? await roundTrips(discord, guildId, memberId) : undefined;
		return { rss, timings };
	} finally {
		await subject.stop();
		await discord.stop();
	}
}

/**
 * Both sides run on plain Node: the bot from its compiled build (as the Docker image runs it), the
 * baseline as plain JavaScript, so neither pays for a TypeScript loader.
 */
export async function benchInteractionRoundTrip(): Promise<Record<string, string>> {
	execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
	const kaltura = await KalturaStandIn.start();
	try {
		const bare = await measure('bare', 1, kaltura, true);
		const bot = await measure('bot', 1, kaltura, true);
		const bare5k = await measure('bare', 5_000, kaltura, false);
		const bot5k = await measure('bot', 5_000, kaltura, false);
		const ms = (value: number) => `${value.toFixed(2)} ms`;
		return {
			[`bot /about p50 / p99 (${SEQUENTIAL} sequential)`]: `${ms(bot.timings!.p50)} / ${ms(bot.timings!.p99)}`,
			[`bare discord.js p50 / p99`]: `${ms(bare.timings!.p50)} / ${ms(bare.timings!.p99)}`,
			'ratio p50 bot/bare (goal <= 1.5)': (bot.timings!.p50 / bare.timings!.p50).toFixed(2),
			[`bot interactions/s (${IN_FLIGHT} in flight)`]: bot.timings!.perSecond.toFixed(0),
			'bare interactions/s': bare.timings!.perSecond.toFixed(0),
			'RSS after READY, 1 guild: bot / bare': `${bot.rss.toFixed(1)} MiB / ${bare.rss.toFixed(1)} MiB`,
			'RSS after READY, 5,000 guilds: bot / bare': `${bot5k.rss.toFixed(1)} MiB / ${bare5k.rss.toFixed(1)} MiB`
		};
	} finally {
		await kaltura.stop();
	}
}
