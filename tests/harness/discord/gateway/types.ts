import type { LimitWindow } from '../rate-limits.js';
import type { DiscordState } from '../state.js';
import type { ChangeNotifier } from '../waiters.js';
import type { GatewaySession } from './session.js';
import type { SessionStartSettings } from './session-starts.js';

export interface PrivilegedIntents {
	guildMembers: boolean;
	guildPresences: boolean;
	messageContent: boolean;
}

export interface GatewayOptions {
	token: string;
	heartbeatIntervalMs: number;
	/** Which privileged intents are "enabled in the developer portal". */
	privilegedIntents: PrivilegedIntents;
	/** Discord requires sharding above 2500 guilds per shard (close 4011). */
	maxGuildsPerShard: number;
	/** Dispatches kept per session for RESUME replay. */
	replayBufferSize: number;
	/** Client → server sends per connection (heartbeats not counted); Discord: 120 / 60 s, close 4008. */
	sendLimit: LimitWindow;
	/** Whether HEARTBEATs get an ACK (set false to simulate a zombie connection). */
	ackHeartbeats: boolean;
	/**
	 * How often a bot may ask for a guild's whole member list (REQUEST_GUILD_MEMBERS with `query: ""` and
	 * `limit: 0`); requests inside the window get a RATE_LIMITED dispatch. Discord: once per guild per bot
	 * every 30 s (discord-api-docs developers/change-log.mdx, August 14, 2025, "Rate Limit for Request Guild
	 * Members"). Real time, like every rate limit of the stand-in.
	 */
	memberListWindowMs: number;
	/** Session starts per day, `max_concurrency` and the identify window (see session-starts.ts). */
	sessionStarts: SessionStartSettings;
	/**
	 * `shards` of GET /gateway/bot. Undefined: derived from the guild count as Discord does, one shard per 1000
	 * guilds and at least one (see rest/meta.ts).
	 */
	recommendedShards: number | undefined;
}

/** What the stand-in did with a REQUEST_GUILD_MEMBERS (op 8). */
export type MemberRequestOutcome =
	/** Answered with GUILD_MEMBERS_CHUNK dispatches. */
	| 'answered'
	/** A second whole-list request inside the window: answered with RATE_LIMITED. */
	| 'rate-limited'
	/** A whole-list request from a session without the GUILD_MEMBERS intent: Discord sends nothing back. */
	| 'ignored-no-members-intent'
	/** Unknown guild, or one the bot is not in: nothing is sent back. */
	| 'ignored-unknown-guild';

export interface MemberRequestRecord {
	at: number;
	sessionId: string;
	guildId: string | undefined;
	/** Whole member list: `query: ""` and no `user_ids`. */
	wholeList: boolean;
	nonce: string | undefined;
	outcome: MemberRequestOutcome;
	/** For 'rate-limited': the `retry_after` sent, in seconds. */
	retryAfter?: number;
}

export interface GatewayContext {
	state: DiscordState;
	notifier: ChangeNotifier;
	/** `ws://127.0.0.1:<port>` */
	baseUrl: () => string;
}

/** A payload the stand-in received from a client. */
export interface ReceivedGatewayPayload {
	at: number;
	connectionId: number;
	sessionId: string | null;
	op: number;
	d: unknown;
}

/** Why an IDENTIFY did not start a session, and how Discord answers it. */
export type IdentifyRefusal =
	/** Faster than `max_concurrency` per window: op 9 INVALID_SESSION `d: false`, the connection stays open. */
	| 'max-concurrency'
	/** The connection already identified or resumed: close 4005. */
	| 'already-authenticated'
	/** Wrong or old token: close 4004. */
	| 'authentication-failed'
	/** `shard` is not `[id, count]` with 0 <= id < count: close 4010. */
	| 'invalid-shard'
	/** Unknown intent bits: close 4013. */
	| 'invalid-intents'
	/** A privileged intent not enabled for the application: close 4014. */
	| 'disallowed-intents'
	/** The shard would hold more guilds than one shard may: close 4011. */
	| 'sharding-required';

/** One IDENTIFY the gateway got and what it did with it (`gateway.identifyLog`). */
export interface IdentifyRecord {
	/** Arrival time (ms since the epoch). */
	at: number;
	connectionId: number;
	/** `shard` as sent; `[0, 1]` when the identify had none; null when it was not a valid pair. */
	shard: [number, number] | null;
	/** `shard_id % max_concurrency`; null when the shard was invalid or not looked at. */
	rateLimitKey: number | null;
	outcome: 'accepted' | 'refused';
	/** For 'accepted': the session READY named. */
	sessionId: string | null;
	/** For 'refused'. */
	reason?: IdentifyRefusal;
	/** For refusals answered by closing the connection. */
	closeCode?: number;
}

/** A dispatch as it was handed to one session (`gateway.deliveries`). */
export interface DispatchDelivery {
	at: number;
	/** Event name, e.g. INTERACTION_CREATE. */
	t: string;
	seq: number;
	sessionId: string;
	shard: [number, number];
	/** What the event is about: the interaction, message, guild or member id (see `DispatchTarget.ref`). */
	ref: string | undefined;
	/** False when the session had no connection then (it gets the event on RESUME). */
	connected: boolean;
	/** The connection it was sent on; null when not connected. A session resumed elsewhere changes connection. */
	connectionId: number | null;
}

/** A session as a test sees it (`gateway.shardSessions()`). */
export interface ShardSessionInfo {
	sessionId: string;
	shard: [number, number];
	/** The connection it runs on now; null between a drop and a RESUME. */
	connectionId: number | null;
	connected: boolean;
	/** Ended: closed with 1000/1001, or invalidated by the stand-in. */
	invalidated: boolean;
	startedAt: number;
	resumes: number;
	/** The bot's guilds this session gets events for, by the sharding formula. */
	guildIds: string[];
}

export interface DispatchTarget {
	/** What the event is about, recorded with each delivery; default: `d.id` when it is a string. */
	ref?: string | undefined;
	/** Route by guild shard; guild-less events go to shard 0. */
	guildId?: string | undefined;
	/** Only this session. */
	session?: GatewaySession;
	/** Required intent bit(s); sessions without them don't get the event. */
	intent?: number;
}
