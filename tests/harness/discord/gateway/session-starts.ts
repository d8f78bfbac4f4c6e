import type { IdentifyRecord } from './types.js';

/** Discord's identify window: "max_concurrency — Number of identify requests allowed per 5 seconds". */
export const DISCORD_IDENTIFY_WINDOW_MS = 5_000;
/** Session starts are counted per day: the docs' example `reset_after` counts down from 24 h. */
const SESSION_START_PERIOD_MS = 86_400_000;
const MAX_IDENTIFY_LOG = 10_000;

export interface SessionStartSettings {
	/** Session starts allowed per day (discord-api-docs: 1000 for bots under 150 000 guilds). */
	total: number;
	/** Identifies allowed per window, one per rate-limit bucket (`shard_id % max_concurrency`). Discord: 1 for most bots. */
	maxConcurrency: number;
	/** The identify window. Discord: 5000 ms. */
	windowMs: number;
}

/** What the stand-in tells the limiter about an identify whose payload it found valid. */
export interface IdentifyAttempt {
	at: number;
	connectionId: number;
	shard: [number, number];
}

/**
 * The application's session start limits, shared by every connection of the stand-in, i.e. by every process of
 * the bot (Discord limits the application, not a connection):
 *
 * - `session_start_limit` of GET /gateway/bot: `total`, `remaining` (one less per session started), `reset_after`
 *   and `max_concurrency` (discord-api-docs developers/events/gateway.mdx, "Session Start Limit Object").
 * - Identify concurrency: "rate_limit_key = shard_id % max_concurrency"; one identify per key per 5 seconds
 *   (same page, "Max Concurrency"), across all shards and processes.
 *
 * Every identify is kept in `log`, so a test can check that the bot never identified faster than that.
 *
 * What discord.js does with these (discordjs/discord.js, tag @discordjs/ws@1.2.3): its default identify throttler
 * is built from `session_start_limit.max_concurrency` (packages/ws/src/utils/constants.ts, buildIdentifyThrottler);
 * SimpleIdentifyThrottler (packages/ws/src/throttling/SimpleIdentifyThrottler.ts) keys by `shardId %
 * maxConcurrency` and waits out the rest of 5 s plus up to 1.5 s at random, but only among the shards of one
 * WebSocketManager, i.e. one process; WebSocketManager.connect (packages/ws/src/ws/WebSocketManager.ts) refuses to
 * start when `remaining` is below the number of shards it would start.
 */
export class SessionStartLimiter {
	public total: number;
	public remaining: number;
	public maxConcurrency: number;
	public windowMs: number;
	/** Every IDENTIFY the gateway got, in arrival order, with what it did with it. */
	public readonly log: IdentifyRecord[] = [];
	#resetsAt: number;
	/** Per rate-limit key: when the last identify that got past the concurrency check arrived. */
	readonly #lastStart = new Map<number, number>();

	public constructor(settings: SessionStartSettings, now = Date.now()) {
		this.total = settings.total;
		this.remaining = settings.total;
		this.maxConcurrency = settings.maxConcurrency;
		this.windowMs = settings.windowMs;
		this.#resetsAt = now + SESSION_START_PERIOD_MS;
	}

	/** `shard_id % max_concurrency` (gateway.mdx, "Max Concurrency"). */
	public rateLimitKey(shardId: number): number {
		return shardId % Math.max(1, this.maxConcurrency);
	}

	/**
	 * Whether an identify may start a session now. One that may takes its bucket's slot for the window; one that
	 * may not leaves the slot as it was: a refused identify started nothing, and the docs count identifies
	 * "allowed" per 5 seconds.
	 */
	public tryStart(attempt: IdentifyAttempt): boolean {
		const key = this.rateLimitKey(attempt.shard[0]);
		const last = this.#lastStart.get(key);
		if (last !== undefined && attempt.at - last < this.windowMs) return false;
		this.#lastStart.set(key, attempt.at);
		return true;
	}

	/** A session started (READY sent): one session start fewer for the day. */
	public noteSessionStarted(now = Date.now()): void {
		this.roll(now);
		this.remaining = Math.max(0, this.remaining - 1);
	}

	/** Milliseconds until `remaining` is back at `total`. */
	public resetAfter(now = Date.now()): number {
		this.roll(now);
		return this.#resetsAt - now;
	}

	public record(entry: IdentifyRecord): void {
		this.log.push(entry);
		if (this.log.length > MAX_IDENTIFY_LOG) this.log.splice(0, this.log.length - MAX_IDENTIFY_LOG);
	}

	/** Forgets the identify slots (not the log), e.g. between two parts of a test. */
	public resetWindows(): void {
		this.#lastStart.clear();
	}

	private roll(now: number): void {
		while (now >= this.#resetsAt) {
			this.#resetsAt += SESSION_START_PERIOD_MS;
			this.remaining = this.total;
		}
	}
}
