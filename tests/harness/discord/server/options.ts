import type { MessageBody } from '../messages.js';
import type { GatewayServer, PrivilegedIntents } from '../gateway.js';
import type { InteractionTimingOptions } from '../interactions.js';
import { defaultRateLimitConfig, MESSAGE_CREATE_ROUTE, type LimitWindow, type RateLimitConfig, type RouteRateLimitRule } from '../rate-limits.js';
import type { MessageEvent } from '../state.js';

export interface DiscordStandInOptions {
	/** Default 127.0.0.1. */
	host?: string;
	/** Default 0 (a free port). */
	port?: number;
	/** Default: a realistic random token. */
	botToken?: string;
	/** Default "harness-bot". */
	botUsername?: string;
	/** Application id = bot user id. Default: a fresh snowflake. */
	applicationId?: string;
	/** HELLO heartbeat_interval. Default 41250 (Discord's). */
	heartbeatIntervalMs?: number;
	/** Global limit: requests per second (number), a window, or false. Default 50/s. */
	globalRateLimit?: number | LimitWindow | false;
	/** POST /channels/:id/messages per channel. Default 5 per 5 s. */
	messageCreateRateLimit?: LimitWindow;
	/** Every other route. Default 50 per 1 s. */
	defaultRouteRateLimit?: LimitWindow;
	/** Extra route rules (checked before the message-create rule). */
	routeRateLimits?: RouteRateLimitRule[];
	/** `Retry-After` header format: Discord's whole seconds (default) or exact fractions. */
	retryAfterHeader?: 'ceil-seconds' | 'exact';
	/** First response deadline, on the real clock (and `clock.advance`). Default 3000 (Discord's). */
	interactionResponseWindowMs?: number;
	/** Token lifetime for edits and follow-ups, on `discord.clock`. Default 15 minutes. */
	interactionTokenLifetimeMs?: number;
	/** How long a message nonce is remembered for `enforce_nonce`, on `discord.clock`. Default 2 minutes (see nonces.ts). */
	enforcedNonceWindowMs?: number;
	/** One whole member list per guild per this many ms (real time), else RATE_LIMITED. Default 30 000 (Discord's). */
	memberListWindowMs?: number;
	/** Default timeout of every `waitFor…` helper. Default 5000. */
	waitTimeoutMs?: number;
	/** Privileged intents "enabled in the developer portal". Default: all. */
	privilegedIntents?: Partial<PrivilegedIntents>;
	/** Default 2500 (Discord closes with 4011 above it). */
	maxGuildsPerShard?: number;
	/** Dispatches kept per session for RESUME. Default 50 000. */
	replayBufferSize?: number;
	/** Client sends per gateway connection. Default 120 per 60 s. */
	gatewaySendLimit?: LimitWindow;
	/**
	 * `session_start_limit` of GET /gateway/bot: `total` session starts a day (default 1000) and `max_concurrency`
	 * (default 1), which the gateway enforces: one IDENTIFY per `shard_id % max_concurrency` per `identifyWindowMs`.
	 */
	sessionStartLimit?: { total?: number; maxConcurrency?: number };
	/**
	 * The identify window. Default 5000 (Discord's). Shorten it only where the identifying side spaces its
	 * identifies by the same window: discord.js's own throttler always waits 5 s.
	 */
	identifyWindowMs?: number;
	/** `shards` of GET /gateway/bot. Default: one per 1000 of the bot's guilds, at least 1. */
	recommendedShards?: number;
	/** Print unexpected stand-in errors (answered with 500) to stderr. Default true. */
	logInternalErrors?: boolean;
}

/**
 * Discord's timings as the stand-in applies them (`discord.timing`). Settable while the stand-in runs; a new
 * value applies to what happens next (an interaction already dispatched keeps its deadline timer).
 */
export interface StandInTiming {
	/** First-response deadline of every interaction, autocomplete included (real clock). Discord: 3000. */
	interactionResponseWindowMs: number;
	/** Interaction token lifetime for edits and follow-ups (`discord.clock`). Discord: 15 minutes. */
	interactionTokenLifetimeMs: number;
	/** How long a message nonce counts for `enforce_nonce` (`discord.clock`). Discord: "a few minutes"; default 2 minutes. */
	enforcedNonceWindowMs: number;
	/** One whole member list per guild per this window (real time), else RATE_LIMITED. Discord: 30 000. */
	memberListWindowMs: number;
	/** One IDENTIFY per rate-limit bucket per this window (real time), else op 9. Discord: 5000. */
	identifyWindowMs: number;
}

export function checkedMs(ms: number): number {
	if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Discord stand-in: a timing must be a non-negative number of ms, got ${ms}`);
	return ms;
}

export interface MessageInput {
	channelId: string;
	/** The author's user id (must be a member for guild channels). */
	authorId: string;
	content?: string;
	embeds?: MessageBody['embeds'];
	components?: MessageBody['components'];
	/** Reply to this message. */
	replyTo?: string;
}

export interface MessageWaitFilter {
	channelId?: string;
	authorId?: string;
	/** Substring or pattern of the content. */
	content?: string | RegExp;
	kind?: MessageEvent['kind'];
	predicate?: (event: MessageEvent) => boolean;
}

export const REACTION_ROUTE = '/channels/:channel_id/messages/:message_id/reactions/:emoji/@me';

/** The rate limits of a stand-in started with `options`: Discord's defaults, overridden where the options say so. */
export function rateLimitConfigOf(options: DiscordStandInOptions): RateLimitConfig {
	const config = defaultRateLimitConfig();
	const global = options.globalRateLimit;
	if (global === false) config.global = false;
	else if (typeof global === 'number') config.global = { limit: global, windowMs: 1_000 };
	else if (global) config.global = { ...global };
	if (options.defaultRouteRateLimit) config.defaultRoute = { ...options.defaultRouteRateLimit };
	config.routes = [
		...(options.routeRateLimits ?? []),
		{ method: 'POST', route: MESSAGE_CREATE_ROUTE, ...(options.messageCreateRateLimit ?? { limit: 5, windowMs: 5_000 }) },
		// Reactions: one per 250 ms per channel, add and remove sharing the bucket.
		{ method: 'PUT', route: REACTION_ROUTE, limit: 1, windowMs: 250, bucket: 'reactions' },
		{ method: 'DELETE', route: REACTION_ROUTE, limit: 1, windowMs: 250, bucket: 'reactions' }
	];
	if (options.retryAfterHeader) config.retryAfter = options.retryAfterHeader;
	return config;
}

/** `discord.timing`: reads and sets the live values the interactions, the nonces and the gateway use, each checked. */
export function liveTiming(interactionTiming: InteractionTimingOptions, gateway: GatewayServer, nonceWindow: { ms: number }): StandInTiming {
	const gatewayOptions = gateway.options;
	return {
		get interactionResponseWindowMs() {
			return interactionTiming.responseWindowMs;
		},
		set interactionResponseWindowMs(ms: number) {
			interactionTiming.responseWindowMs = checkedMs(ms);
		},
		get interactionTokenLifetimeMs() {
			return interactionTiming.tokenLifetimeMs;
		},
		set interactionTokenLifetimeMs(ms: number) {
			interactionTiming.tokenLifetimeMs = checkedMs(ms);
		},
		get enforcedNonceWindowMs() {
			return nonceWindow.ms;
		},
		set enforcedNonceWindowMs(ms: number) {
			nonceWindow.ms = checkedMs(ms);
		},
		get memberListWindowMs() {
			return gatewayOptions.memberListWindowMs;
		},
		set memberListWindowMs(ms: number) {
			gatewayOptions.memberListWindowMs = checkedMs(ms);
		},
		get identifyWindowMs() {
			return gateway.sessionStarts.windowMs;
		},
		set identifyWindowMs(ms: number) {
			gateway.sessionStarts.windowMs = checkedMs(ms);
		}
	};
}
