import type { LimitWindow } from '../rate-limits.js';
import type { DiscordState } from '../state.js';
import type { ChangeNotifier } from '../waiters.js';
import type { GatewaySession } from './session.js';

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
	/** Called on each IDENTIFY (for /gateway/bot session_start_limit). */
	onIdentify: () => void;
}

/** A payload the stand-in received from a client. */
export interface ReceivedGatewayPayload {
	at: number;
	connectionId: number;
	sessionId: string | null;
	op: number;
	d: unknown;
}

export interface DispatchTarget {
	/** Route by guild shard; guild-less events go to shard 0. */
	guildId?: string | undefined;
	/** Only this session. */
	session?: GatewaySession;
	/** Required intent bit(s); sessions without them don't get the event. */
	intent?: number;
}
