import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApplicationFlags, GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import type {
	APIGuildMember,
	APIMessage,
	APIUser,
	GatewayGuildCreateDispatchData,
	GatewayGuildMembersChunkDispatchData,
	GatewayIdentifyData,
	GatewayMessageCreateDispatchData,
	GatewayReadyDispatchData,
	GatewayRequestGuildMembersData,
	GatewayResumeData
} from 'discord-api-types/v10';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { LimitWindow } from './rate-limits.js';
import { shardForGuild } from './snowflake.js';
import type { DiscordState } from './state.js';
import type { ChangeNotifier } from './waiters.js';

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

/** Discord ignores a request nonce longer than 32 bytes and then answers without one (gateway-events.mdx, Request Guild Members). */
const MAX_MEMBER_REQUEST_NONCE_BYTES = 32;
/** "Requesting a prefix (`query` parameter) will return a maximum of 100 members" and "Requesting `user_ids` will continue to be limited to returning 100 members" (same page). */
const MAX_MEMBERS_BY_QUERY_OR_IDS = 100;
/** GUILD_MEMBERS_CHUNK carries "up to 1000 members per chunk" (same page). */
const MEMBERS_PER_CHUNK = 1000;

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

const KNOWN_INTENTS = Object.values(GatewayIntentBits)
	.filter((v): v is number => typeof v === 'number')
	.reduce((acc, bit) => acc | bit, 0);

const MAX_RECEIVED_LOG = 10_000;

/** Dispatches kept for RESUME; frames are pre-serialised. */
class ReplayBuffer {
	#frames: { seq: number; frame: string }[] = [];
	#start = 0;

	public constructor(private readonly capacity: number) {}

	public push(seq: number, frame: string): void {
		this.#frames.push({ seq, frame });
		if (this.#frames.length - this.#start > this.capacity) this.#start += 1;
		if (this.#start > 1024 && this.#start * 2 > this.#frames.length) {
			this.#frames = this.#frames.slice(this.#start);
			this.#start = 0;
		}
	}

	/** Frames after `seq`, or undefined when some of them were already evicted. */
	public after(seq: number): string[] | undefined {
		const first = this.#frames[this.#start];
		if (first && first.seq > seq + 1) return undefined;
		const result: string[] = [];
		for (let i = this.#start; i < this.#frames.length; i += 1) {
			const entry = this.#frames[i]!;
			if (entry.seq > seq) result.push(entry.frame);
		}
		return result;
	}
}

export class GatewaySession {
	public seq = 0;
	public connection: GatewayConnection | null = null;
	public resumes = 0;
	public invalidated = false;
	public presence: unknown = null;
	public readonly buffer: ReplayBuffer;

	public constructor(
		public readonly id: string,
		public readonly shard: [number, number],
		public readonly intents: number,
		public readonly largeThreshold: number,
		replayBufferSize: number
	) {
		this.buffer = new ReplayBuffer(replayBufferSize);
	}

	public has(intent: number): boolean {
		return (this.intents & intent) === intent;
	}

	/** Whether events of `guildId` (or guild-less events, for undefined) go to this session. */
	public servesGuild(guildId: string | undefined): boolean {
		const [id, count] = this.shard;
		return guildId === undefined ? id === 0 : shardForGuild(guildId, count) === id;
	}
}

export class GatewayConnection {
	public session: GatewaySession | null = null;
	public heartbeats = 0;
	public closed = false;
	public closeCode: number | null = null;
	#sendWindowStart = Date.now();
	#sendCount = 0;

	public constructor(
		public readonly id: number,
		public readonly ws: WebSocket,
		public readonly path: string,
		public readonly query: URLSearchParams
	) {}

	public sendRaw(frame: string): void {
		if (!this.closed && this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
	}

	public send(op: GatewayOpcodes, d: unknown): void {
		this.sendRaw(JSON.stringify({ op, d, s: null, t: null }));
	}

	public close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		this.closeCode = code;
		this.ws.close(code, reason.slice(0, 120));
	}

	/** Counts a client send; false when the window's budget is exceeded. */
	public countSend(limit: LimitWindow): boolean {
		const now = Date.now();
		if (now - this.#sendWindowStart >= limit.windowMs) {
			this.#sendWindowStart = now;
			this.#sendCount = 0;
		}
		this.#sendCount += 1;
		return this.#sendCount <= limit.limit;
	}
}

export interface DispatchTarget {
	/** Route by guild shard; guild-less events go to shard 0. */
	guildId?: string | undefined;
	/** Only this session. */
	session?: GatewaySession;
	/** Required intent bit(s); sessions without them don't get the event. */
	intent?: number;
}

/**
 * The gateway: HELLO / HEARTBEAT / IDENTIFY / RESUME over JSON text frames, sessions
 * with sequence numbers and a replay buffer, intent filtering, and typed dispatch helpers.
 */
export class GatewayServer {
	public readonly sessions = new Map<string, GatewaySession>();
	public readonly connections = new Set<GatewayConnection>();
	public readonly received: ReceivedGatewayPayload[] = [];
	/** Connections refused or closed by the stand-in, with the reason (e.g. etf requested). */
	public readonly closes: { connectionId: number; code: number; reason: string }[] = [];
	public identifies = 0;
	public resumes = 0;
	/** Every REQUEST_GUILD_MEMBERS and what the stand-in did with it, in arrival order. */
	public readonly memberRequests: MemberRequestRecord[] = [];
	/** Guild id → when its whole member list was last sent (Date.now()). Per bot: all sessions share it. */
	readonly #wholeListSentAt = new Map<string, number>();
	readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
	#nextConnectionId = 1;

	public constructor(
		private readonly context: GatewayContext,
		public readonly options: GatewayOptions
	) {}

	// ------------------------------------------------------------------------- connections

	public handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		this.#wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, request));
	}

	private onConnection(ws: WebSocket, request: IncomingMessage): void {
		const url = new URL(request.url ?? '/', 'http://localhost');
		const connection = new GatewayConnection(this.#nextConnectionId++, ws, url.pathname, url.searchParams);
		this.connections.add(connection);
		ws.on('message', (data, isBinary) => this.onMessage(connection, data, isBinary));
		ws.on('close', (code) => this.onClose(connection, code));
		ws.on('error', () => undefined);

		const version = url.searchParams.get('v');
		const encoding = url.searchParams.get('encoding') ?? 'json';
		if (encoding !== 'json') {
			this.refuse(connection, GatewayCloseCodes.DecodeError, `encoding=${encoding} is not supported by the Discord stand-in (JSON only)`);
			return;
		}
		if (version !== null && version !== '10') {
			this.refuse(connection, GatewayCloseCodes.InvalidAPIVersion, `Invalid API version ${version}`);
			return;
		}
		// compress=zlib-stream is accepted and ignored: frames stay uncompressed JSON text,
		// which @discordjs/ws parses regardless of the compression it asked for.
		connection.send(GatewayOpcodes.Hello, { heartbeat_interval: this.options.heartbeatIntervalMs });
		this.context.notifier.notify();
	}

	private refuse(connection: GatewayConnection, code: number, reason: string): void {
		this.closes.push({ connectionId: connection.id, code, reason });
		connection.close(code, reason);
		this.context.notifier.notify();
	}

	private onClose(connection: GatewayConnection, code: number): void {
		connection.closed = true;
		connection.closeCode ??= code;
		this.connections.delete(connection);
		const session = connection.session;
		if (session && session.connection === connection) {
			session.connection = null;
			// A clean 1000/1001 close from the client ends the session (discord.js re-identifies).
			if (code === 1000 || code === 1001) session.invalidated = true;
		}
		this.context.notifier.notify();
	}

	private onMessage(connection: GatewayConnection, data: RawData, isBinary: boolean): void {
		if (connection.closed) return;
		const text = isBinary ? undefined : rawToString(data);
		if (text === undefined || Buffer.byteLength(text) > 4096) {
			this.refuse(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
			return;
		}
		let payload: { op?: unknown; d?: unknown };
		try {
			payload = JSON.parse(text) as { op?: unknown; d?: unknown };
		} catch {
			this.refuse(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
			return;
		}
		const op = typeof payload.op === 'number' ? payload.op : -1;
		this.log(connection, op, payload.d);

		if (op !== GatewayOpcodes.Heartbeat && !connection.countSend(this.options.sendLimit)) {
			this.refuse(connection, GatewayCloseCodes.RateLimited, 'You are being rate limited.');
			return;
		}

		switch (op) {
			case GatewayOpcodes.Heartbeat:
				connection.heartbeats += 1;
				if (this.options.ackHeartbeats) connection.send(GatewayOpcodes.HeartbeatAck, undefined);
				this.context.notifier.notify();
				return;
			case GatewayOpcodes.Identify:
				this.onIdentify(connection, payload.d as GatewayIdentifyData);
				return;
			case GatewayOpcodes.Resume:
				this.onResume(connection, payload.d as GatewayResumeData);
				return;
			default:
				break;
		}
		if (!connection.session) {
			this.refuse(connection, GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
			return;
		}
		switch (op) {
			case GatewayOpcodes.PresenceUpdate:
				connection.session.presence = payload.d;
				return;
			case GatewayOpcodes.VoiceStateUpdate:
			case GatewayOpcodes.RequestSoundboardSounds:
				return;
			case GatewayOpcodes.RequestGuildMembers:
				this.onRequestGuildMembers(connection.session, payload.d as GatewayRequestGuildMembersData);
				return;
			default:
				this.refuse(connection, GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
		}
	}

	private log(connection: GatewayConnection, op: number, d: unknown): void {
		this.received.push({ at: Date.now(), connectionId: connection.id, sessionId: connection.session?.id ?? null, op, d });
		if (this.received.length > MAX_RECEIVED_LOG) this.received.splice(0, this.received.length - MAX_RECEIVED_LOG);
	}

	// ------------------------------------------------------------------------- identify / resume

	private onIdentify(connection: GatewayConnection, data: GatewayIdentifyData): void {
		if (connection.session) {
			this.refuse(connection, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
			return;
		}
		if (!data || typeof data !== 'object' || data.token !== this.options.token) {
			this.refuse(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
			return;
		}
		const [shardId, shardCount] = Array.isArray(data.shard) ? data.shard : [0, 1];
		if (!Number.isInteger(shardId) || !Number.isInteger(shardCount) || shardCount < 1 || shardId < 0 || shardId >= shardCount) {
			this.refuse(connection, GatewayCloseCodes.InvalidShard, 'Invalid shard.');
			return;
		}
		const intents = Number(data.intents);
		if (!Number.isInteger(intents) || intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) {
			this.refuse(connection, GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
			return;
		}
		const privileged = this.options.privilegedIntents;
		const disallowed =
			(!privileged.guildMembers && (intents & GatewayIntentBits.GuildMembers) !== 0) ||
			(!privileged.guildPresences && (intents & GatewayIntentBits.GuildPresences) !== 0) ||
			(!privileged.messageContent && (intents & GatewayIntentBits.MessageContent) !== 0);
		if (disallowed) {
			this.refuse(connection, GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
			return;
		}
		const state = this.context.state;
		const guilds = state.botGuilds().filter((g) => shardForGuild(g.id, shardCount) === shardId);
		if (guilds.length > this.options.maxGuildsPerShard) {
			this.refuse(connection, GatewayCloseCodes.ShardingRequired, 'Sharding required.');
			return;
		}

		this.identifies += 1;
		this.context.onIdentify();
		const session = new GatewaySession(
			randomBytes(16).toString('hex'),
			[shardId, shardCount],
			intents,
			typeof data.large_threshold === 'number' ? Math.min(250, Math.max(50, data.large_threshold)) : 50,
			this.options.replayBufferSize
		);
		this.sessions.set(session.id, session);
		session.connection = connection;
		connection.session = session;

		const ready: GatewayReadyDispatchData = {
			v: 10,
			user: { ...state.botUser, verified: true, mfa_enabled: false, flags: 0 as NonNullable<APIUser['flags']> },
			guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
			session_id: session.id,
			resume_gateway_url: `${this.context.baseUrl()}/resume`,
			shard: [shardId, shardCount],
			application: { id: state.applicationId, flags: this.applicationFlags(), flags_new: String(this.applicationFlags()) }
		};
		this.sendDispatch(session, GatewayDispatchEvents.Ready, JSON.stringify(ready));
		if (session.has(GatewayIntentBits.Guilds)) {
			for (const guild of guilds) {
				this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, JSON.stringify(this.guildCreateData(guild.id, session)));
			}
		}
		this.context.notifier.notify();
	}

	/** The "limited" privileged intent flags an unverified bot (< 100 guilds) carries. */
	private applicationFlags(): ApplicationFlags {
		const p = this.options.privilegedIntents;
		let flags = 0;
		if (p.guildMembers) flags |= ApplicationFlags.GatewayGuildMembersLimited;
		if (p.guildPresences) flags |= ApplicationFlags.GatewayPresenceLimited;
		if (p.messageContent) flags |= ApplicationFlags.GatewayMessageContentLimited;
		return flags as ApplicationFlags;
	}

	private onResume(connection: GatewayConnection, data: GatewayResumeData): void {
		if (connection.session) {
			this.refuse(connection, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
			return;
		}
		if (!data || data.token !== this.options.token) {
			this.refuse(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
			return;
		}
		const session = this.sessions.get(data.session_id);
		const frames = session && !session.invalidated ? session.buffer.after(Number(data.seq)) : undefined;
		if (!session || session.invalidated || frames === undefined || Number(data.seq) > session.seq) {
			connection.send(GatewayOpcodes.InvalidSession, false);
			return;
		}
		const previous = session.connection;
		if (previous && previous !== connection) {
			previous.session = null;
			previous.closed = true;
			previous.ws.terminate();
		}
		session.connection = connection;
		connection.session = session;
		for (const frame of frames) connection.sendRaw(frame);
		session.resumes += 1;
		this.resumes += 1;
		this.sendDispatch(session, GatewayDispatchEvents.Resumed, 'null');
		this.context.notifier.notify();
	}

	/**
	 * REQUEST_GUILD_MEMBERS (op 8), as discord-api-docs developers/events/gateway-events.mdx "Request Guild Members"
	 * describes it:
	 * - "`GUILD_MEMBERS` intent is required to request the entire member list—(query='', limit=0<=n)". Discord
	 *   does not close the connection for it (4013/4014 are only for IDENTIFY, gateway.mdx "Gateway Intents"): it
	 *   sends nothing back, and the client waits until it gives up (discord.js: GuildMembersTimeout after 120 s).
	 *   Reported in discord/discord-api-docs#5855 ("I don't get a response", cause: the intent missing from
	 *   IDENTIFY) and switchupcb/disgo#63.
	 * - The whole list (`query: ""`, `limit: 0`) once per guild per bot every 30 s; more are answered with a
	 *   RATE_LIMITED dispatch `{ opcode: 8, retry_after, meta: { guild_id, nonce } }` (developers/change-log.mdx,
	 *   August 14, 2025; gateway-events.mdx "Rate Limited"). Only the request counts, not its chunks.
	 * - At most 100 members by prefix or by `user_ids`, chunks of up to 1000, a nonce of at most 32 bytes echoed.
	 */
	private onRequestGuildMembers(session: GatewaySession, data: GatewayRequestGuildMembersData): void {
		const state = this.context.state;
		const guildId = data && typeof data.guild_id === 'string' ? data.guild_id : undefined;
		const nonce = validNonce(data?.nonce);
		const byIds = Boolean(data) && 'user_ids' in data && data.user_ids !== undefined;
		const query = !byIds && data && 'query' in data && typeof data.query === 'string' ? data.query : '';
		const requested = data && 'limit' in data && typeof data.limit === 'number' ? data.limit : 0;
		const wholeList = !byIds && query === '';
		const record = (outcome: MemberRequestOutcome, retryAfter?: number): void => {
			this.memberRequests.push({
				at: Date.now(),
				sessionId: session.id,
				guildId,
				wholeList,
				nonce,
				outcome,
				...(retryAfter === undefined ? {} : { retryAfter })
			});
			this.context.notifier.notify();
		};

		const guild = guildId === undefined ? undefined : state.guilds.get(guildId);
		if (!guild || !guild.members.has(state.botUser.id)) {
			record('ignored-unknown-guild');
			return;
		}
		if (wholeList && !session.has(GatewayIntentBits.GuildMembers)) {
			record('ignored-no-members-intent');
			return;
		}
		if (wholeList && requested === 0) {
			const now = Date.now();
			const last = this.#wholeListSentAt.get(guild.id);
			if (last !== undefined && now - last < this.options.memberListWindowMs) {
				const retryAfter = (last + this.options.memberListWindowMs - now) / 1000;
				const meta: { guild_id: string; nonce?: string } = { guild_id: guild.id };
				if (nonce !== undefined) meta.nonce = nonce;
				this.sendDispatch(
					session,
					GatewayDispatchEvents.RateLimited,
					JSON.stringify({ opcode: GatewayOpcodes.RequestGuildMembers, retry_after: retryAfter, meta })
				);
				record('rate-limited', retryAfter);
				return;
			}
			this.#wholeListSentAt.set(guild.id, now);
		}

		const members: APIGuildMember[] = [];
		const notFound: string[] = [];
		if (byIds) {
			const raw = (data as { user_ids: string | string[] }).user_ids;
			const ids = (Array.isArray(raw) ? raw : [raw]).slice(0, MAX_MEMBERS_BY_QUERY_OR_IDS);
			for (const id of ids) {
				if (guild.members.has(id)) members.push(state.memberToAPI(guild.id, id));
				else notFound.push(id);
			}
		} else {
			const lowered = query.toLowerCase();
			let limit = requested > 0 ? requested : Number.POSITIVE_INFINITY;
			if (query !== '') limit = Math.min(limit, MAX_MEMBERS_BY_QUERY_OR_IDS);
			for (const member of guild.members.values()) {
				if (members.length >= limit) break;
				const user = state.users.get(member.userId);
				const names = [user?.username, user?.global_name, member.nick].filter((n): n is string => typeof n === 'string');
				if (lowered === '' || names.some((n) => n.toLowerCase().startsWith(lowered))) {
					members.push(state.memberToAPI(guild.id, member.userId));
				}
			}
		}
		const chunkCount = Math.max(1, Math.ceil(members.length / MEMBERS_PER_CHUNK));
		for (let index = 0; index < chunkCount; index += 1) {
			const chunk: GatewayGuildMembersChunkDispatchData = {
				guild_id: guild.id,
				members: members.slice(index * MEMBERS_PER_CHUNK, (index + 1) * MEMBERS_PER_CHUNK),
				chunk_index: index,
				chunk_count: chunkCount
			};
			if (index === 0 && notFound.length > 0) chunk.not_found = notFound;
			if (data.presences) chunk.presences = [];
			if (nonce !== undefined) chunk.nonce = nonce;
			this.sendDispatch(session, GatewayDispatchEvents.GuildMembersChunk, JSON.stringify(chunk));
		}
		record('answered');
	}

	/** Forgets when whole member lists were sent, so the next request of each guild is answered. */
	public resetMemberListLimit(): void {
		this.#wholeListSentAt.clear();
	}

	// ------------------------------------------------------------------------- dispatching

	/** Assigns the next sequence number, buffers the frame, and sends it if connected. */
	private sendDispatch(session: GatewaySession, t: string, dJson: string): void {
		session.seq += 1;
		const frame = `{"op":0,"t":${JSON.stringify(t)},"s":${session.seq},"d":${dJson}}`;
		session.buffer.push(session.seq, frame);
		session.connection?.sendRaw(frame);
	}

	/** Live (not invalidated) sessions, connected or waiting to resume. */
	public liveSessions(): GatewaySession[] {
		return [...this.sessions.values()].filter((s) => !s.invalidated);
	}

	/**
	 * Sends a dispatch to every live session it concerns (shard, intents). Sessions that
	 * are disconnected get it on RESUME. Returns the number of sessions it went to.
	 */
	public dispatch(t: GatewayDispatchEvents | string, d: unknown, target: DispatchTarget = {}): number {
		let json: string | undefined;
		return this.dispatchRendered(t, () => (json ??= JSON.stringify(d ?? null)), target);
	}

	/** Like `dispatch`, with the payload rendered per session (intent-dependent content). */
	public dispatchEach(t: GatewayDispatchEvents | string, render: (session: GatewaySession) => unknown, target: DispatchTarget = {}): number {
		return this.dispatchRendered(t, (session) => JSON.stringify(render(session)), target);
	}

	private dispatchRendered(t: GatewayDispatchEvents | string, serialize: (session: GatewaySession) => string, target: DispatchTarget): number {
		let count = 0;
		for (const session of target.session ? [target.session] : this.liveSessions()) {
			if (session.invalidated) continue;
			if (!target.session && !session.servesGuild(target.guildId)) continue;
			if (target.intent !== undefined && !session.has(target.intent)) continue;
			this.sendDispatch(session, t, serialize(session));
			count += 1;
		}
		this.context.notifier.notify();
		return count;
	}

	public guildCreateData(guildId: string, session: GatewaySession): GatewayGuildCreateDispatchData {
		const state = this.context.state;
		const guild = state.requireGuild(guildId);
		const memberCount = guild.members.size;
		const large = memberCount > session.largeThreshold;
		const allMembers = !large && session.has(GatewayIntentBits.GuildMembers);
		const memberIds = allMembers ? [...guild.members.keys()] : guild.members.has(state.botUser.id) ? [state.botUser.id] : [];
		const botMember = guild.members.get(state.botUser.id);
		return {
			...state.guildToAPI(guildId),
			joined_at: botMember?.joinedAt ?? new Date().toISOString(),
			large,
			unavailable: false,
			member_count: memberCount,
			voice_states: [],
			members: memberIds.map((id) => state.memberToAPI(guildId, id)),
			channels: state.guildChannels(guildId).map((channel) => {
				const copy = { ...channel } as Record<string, unknown>;
				delete copy.guild_id;
				return copy as unknown as GatewayGuildCreateDispatchData['channels'][number];
			}),
			threads: [],
			presences: [],
			stage_instances: [],
			guild_scheduled_events: [],
			soundboard_sounds: []
		};
	}

	/** GUILD_CREATE for one guild (e.g. after the bot joined it). */
	public guildCreate(guildId: string): number {
		return this.dispatchEach(GatewayDispatchEvents.GuildCreate, (session) => this.guildCreateData(guildId, session), {
			guildId,
			intent: GatewayIntentBits.Guilds
		});
	}

	/** GUILD_DELETE: the bot left/was removed (`unavailable: false`) or an outage (`true`). */
	public guildDelete(guildId: string, unavailable = false): number {
		const data = unavailable ? { id: guildId, unavailable: true } : { id: guildId };
		return this.dispatch(GatewayDispatchEvents.GuildDelete, data, { guildId, intent: GatewayIntentBits.Guilds });
	}

	public guildMemberAdd(guildId: string, userId: string): number {
		const member = { ...this.context.state.memberToAPI(guildId, userId), guild_id: guildId };
		return this.dispatch(GatewayDispatchEvents.GuildMemberAdd, member, { guildId, intent: GatewayIntentBits.GuildMembers });
	}

	public guildMemberUpdate(guildId: string, userId: string): number {
		const member = { ...this.context.state.memberToAPI(guildId, userId), guild_id: guildId };
		return this.dispatch(GatewayDispatchEvents.GuildMemberUpdate, member, { guildId, intent: GatewayIntentBits.GuildMembers });
	}

	public guildMemberRemove(guildId: string, user: APIUser): number {
		return this.dispatch(
			GatewayDispatchEvents.GuildMemberRemove,
			{ guild_id: guildId, user },
			{ guildId, intent: GatewayIntentBits.GuildMembers }
		);
	}

	public messageCreate(message: APIMessage): number {
		return this.dispatchMessage(GatewayDispatchEvents.MessageCreate, message);
	}

	public messageUpdate(message: APIMessage): number {
		return this.dispatchMessage(GatewayDispatchEvents.MessageUpdate, message);
	}

	public messageDelete(message: Pick<APIMessage, 'id' | 'channel_id'>): number {
		const guildId = this.context.state.guildIdOfChannel(message.channel_id);
		const data = guildId
			? { id: message.id, channel_id: message.channel_id, guild_id: guildId }
			: { id: message.id, channel_id: message.channel_id };
		return this.dispatch(GatewayDispatchEvents.MessageDelete, data, {
			guildId,
			intent: guildId ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages
		});
	}

	public interactionCreate(interaction: { guild_id?: string | undefined }): number {
		return this.dispatch(GatewayDispatchEvents.InteractionCreate, interaction, { guildId: interaction.guild_id });
	}

	private dispatchMessage(t: GatewayDispatchEvents, message: APIMessage): number {
		const state = this.context.state;
		const guildId = state.guildIdOfChannel(message.channel_id);
		const render = (session: GatewaySession): GatewayMessageCreateDispatchData => {
			const data: GatewayMessageCreateDispatchData = { ...message };
			if (guildId) {
				data.guild_id = guildId;
				const guild = state.guilds.get(guildId);
				if (guild?.members.has(message.author.id) && message.webhook_id === undefined) {
					const { user: _user, ...member } = state.memberToAPI(guildId, message.author.id);
					data.member = member as NonNullable<GatewayMessageCreateDispatchData['member']>;
				}
				data.mentions = message.mentions.map((user) =>
					guild?.members.has(user.id) ? { ...user, member: withoutUser(state.memberToAPI(guildId, user.id)) } : user
				) as GatewayMessageCreateDispatchData['mentions'];
			}
			const botMentioned = message.mentions.some((u) => u.id === state.botUser.id);
			const own = message.author.id === state.botUser.id;
			if (guildId && !own && !botMentioned && !session.has(GatewayIntentBits.MessageContent)) {
				data.content = '';
				data.embeds = [];
				data.attachments = [];
				data.components = [];
				delete data.poll;
			}
			return data;
		};
		return this.dispatchEach(t, render, {
			guildId,
			intent: guildId ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages
		});
	}

	// ------------------------------------------------------------------------- fault injection

	/**
	 * Drops every client connection server-side, keeping the sessions resumable.
	 * Without `code` the TCP connection is cut (the client sees 1006); with a code, a close
	 * frame is sent (4000 → discord.js resumes, 1000 → it re-identifies, 4004 → fatal …).
	 */
	public dropConnections(options: { code?: number; reason?: string } = {}): number {
		let count = 0;
		for (const connection of [...this.connections]) {
			const session = connection.session;
			if (session && session.connection === connection) session.connection = null;
			if (options.code === undefined) {
				connection.closed = true;
				connection.ws.terminate();
			} else {
				connection.close(options.code, options.reason ?? 'Dropped by the Discord stand-in');
			}
			this.connections.delete(connection);
			count += 1;
		}
		this.context.notifier.notify();
		return count;
	}

	/** Sends op 7 RECONNECT to every connection (clients then resume). */
	public requestReconnect(): void {
		for (const connection of this.connections) connection.send(GatewayOpcodes.Reconnect, null);
	}

	/** Sends op 9 INVALID_SESSION; with `resumable: false` the sessions are also discarded. */
	public invalidateSessions(resumable = false): void {
		for (const connection of this.connections) connection.send(GatewayOpcodes.InvalidSession, resumable);
		if (!resumable) for (const session of this.sessions.values()) session.invalidated = true;
		this.context.notifier.notify();
	}

	public async close(): Promise<void> {
		for (const connection of this.connections) {
			connection.closed = true;
			connection.ws.terminate();
		}
		this.connections.clear();
		await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
	}
}

/** The request's nonce if Discord would echo it: a string of at most 32 bytes. */
function validNonce(nonce: unknown): string | undefined {
	return typeof nonce === 'string' && Buffer.byteLength(nonce) <= MAX_MEMBER_REQUEST_NONCE_BYTES ? nonce : undefined;
}

function rawToString(data: RawData): string {
	if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
	if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
	return data.toString('utf8');
}

function withoutUser(member: APIGuildMember): Omit<APIGuildMember, 'user'> {
	const { user: _user, ...rest } = member;
	return rest;
}
