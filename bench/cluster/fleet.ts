import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { BotProcess, standInEnvironment, type StandIns } from '../../tests/harness/bot-process.js';
import { DiscordStandIn, type DiscordStandInOptions } from '../../tests/harness/discord/index.js';

/**
 * A Redis database of the bench's own (default /10, and the next ones for bots that run side by side: each deployment of the bot
 * needs a Redis of its own), emptied before and after each use: leases, identify slots, guild config.
 */
export function benchRedisUrl(offset = 0): string {
	const base = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
	return `${base.replace(/\/\d*$/, '')}/${Number(process.env.BENCH_CLUSTER_REDIS_DB ?? 10) + offset}`;
}

export async function flushRedis(url: string): Promise<void> {
	const redis = createClient({ url });
	await redis.connect();
	await redis.flushDb();
	await redis.close();
}

/**
 * The Discord stand-in with its REST limits out of the way, so that they do not dominate the figures. The identify
 * window stays Discord's 5 s; `maxConcurrency` says how many shards may identify in one window.
 */
export function startDiscord(maxConcurrency: number, extra: DiscordStandInOptions = {}): Promise<DiscordStandIn> {
	return DiscordStandIn.start({
		globalRateLimit: false,
		defaultRouteRateLimit: { limit: 1_000_000, windowMs: 1000 },
		messageCreateRateLimit: { limit: 1_000_000, windowMs: 1000 },
		heartbeatIntervalMs: 41_250,
		maxGuildsPerShard: 2_500,
		sessionStartLimit: { total: 1000, maxConcurrency },
		waitTimeoutMs: 180_000,
		...extra
	});
}

/** `0-2`, `0-1`, `2`: the SHARD_IDS of a group of consecutive shards. */
function shardIdsOf(group: readonly number[]): string {
	const first = group[0] ?? 0;
	const last = group.at(-1) ?? first;
	return first === last ? String(first) : `${first}-${last}`;
}

/** Shards 0..count-1 in `processes` groups of consecutive ids, the larger groups first: 3 over 2 gives 0-1 and 2. */
export function shardGroups(count: number, processes: number): number[][] {
	const groups: number[][] = [];
	let next = 0;
	for (let index = 0; index < processes; index++) {
		const size = Math.ceil((count - next) / (processes - index));
		groups.push(Array.from({ length: size }, (_, offset) => next + offset));
		next += size;
	}
	return groups;
}

/** Resident set size of a process, from /proc, in MiB. */
export function rssMiB(pid: number): number {
	const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (clock ticks of 10 ms on Linux). */
export function cpuMs(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The start-up warnings about how the bench sets the bots up (any guild may use them, no privileged intents, no Activity). */
const SETUP_WARNINGS =
	/ALLOWED_GUILD_IDS is not set|is installed but not loaded: it needs the privileged gateway intent|DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET are not both set/;

/** Lines of the bots' output at level warn or above (the bench runs them with LOG_LEVEL warn, so that is everything they print). */
function complaintsOf(output: string): string[] {
	return output
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '' && !SETUP_WARNINGS.test(line));
}

/**
 * Bot processes, each running a group of shards of `shardCount`, as the compiled build (`node dist/src/main.js`, as the Docker
 * image runs it), sharing one Redis and one SQLite data directory (on tmpfs where there is one, so the shared disk's fsyncs do
 * not weigh on the figures), as processes on one machine would.
 */
export class Fleet {
	private constructor(
		public readonly bots: readonly BotProcess[],
		private readonly dataDirectory: string
	) {}

	public static async start(standIns: StandIns, redisUrl: string, shardCount: number, groups: readonly (readonly number[])[]): Promise<Fleet> {
		const dataDirectory = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kaltura-discord-bench-cluster-'));
		const environmentOf = (group: readonly number[]): Record<string, string> => ({
			...standInEnvironment(standIns),
			DATA_DIR: dataDirectory,
			REDIS_URL: redisUrl,
			SHARD_COUNT: String(shardCount),
			SHARD_IDS: shardIdsOf(group),
			JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-for-hs256',
			NODE_ENV: 'production',
			LOG_LEVEL: 'warn'
		});
		const started = await Promise.allSettled(
			groups.map((group) => BotProcess.start({ env: environmentOf(group), compiled: true, readyTimeoutMs: 180_000 }))
		);
		const bots = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
		const failure = started.find((result) => result.status === 'rejected');
		if (failure !== undefined) {
			await Promise.allSettled(bots.map((bot) => bot.stop()));
			rmSync(dataDirectory, { recursive: true, force: true });
			throw failure.reason;
		}
		return new Fleet(bots, dataDirectory);
	}

	public get webhookUrls(): string[] {
		return this.bots.map((bot) => `${bot.apiUrl}/webhooks/kaltura`);
	}

	public cpuMs(): number[] {
		return this.bots.map((bot) => cpuMs(bot.pid));
	}

	/** What the bots printed since they were ready (warnings and errors only, at LOG_LEVEL warn). */
	public complaints(): string[] {
		return this.bots.flatMap((bot, index) => complaintsOf(bot.output()).map((line) => `process ${index}: ${line}`));
	}

	/** SIGTERM to every process; the exit codes that were not 0. */
	public async stop(): Promise<string[]> {
		const codes = await Promise.all(this.bots.map((bot) => bot.stop().catch((error: unknown) => String(error))));
		rmSync(this.dataDirectory, { recursive: true, force: true });
		return codes.flatMap((code, index) => (code === 0 ? [] : [`process ${index} exited with ${String(code)}`]));
	}
}
