import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageType } from 'discord-api-types/v10';
import type { APIChannel, APIGuildMember, APIMessage, APIRole, APIUser } from 'discord-api-types/v10';
import {
	Actors,
	type AutocompleteInput,
	type MessageContextMenuInput,
	type PressButtonInput,
	type SelectMenuInput,
	type SlashCommandInput,
	type SubmitModalInput,
	type UserContextMenuInput
} from './actors.js';
import { HarnessClock } from './clock.js';
import type { RestContext } from './context.js';
import { DiscordErrors, DiscordHTTPError } from './errors.js';
import { GatewayServer, type PrivilegedIntents } from './gateway.js';
import { genericRouteOf, parseBody, readBody, Router, writeResponse, type HarnessRequest, type HarnessResponse } from './http.js';
import { InteractionService, type InteractionHandle } from './interactions.js';
import { buildMessage, validateMessageBody, type MessageBody } from './messages.js';
import { DEFAULT_ENFORCED_NONCE_WINDOW_MS, EnforcedNonces } from './nonces.js';
import {
	defaultRateLimitConfig,
	MESSAGE_CREATE_ROUTE,
	RateLimiter,
	type LimitWindow,
	type RateLimitStats,
	type RouteRateLimitRule
} from './rate-limits.js';
import { matchesRequest, type RecordedRequest, type RequestFilter } from './recorder.js';
import { channelRoutes } from './rest/channels.js';
import { commandRoutes } from './rest/commands.js';
import { guildRoutes } from './rest/guilds.js';
import { interactionRoutes } from './rest/interactions.js';
import { memberRoleRoutes } from './rest/members.js';
import { reactionRoutes } from './rest/reactions.js';
import { ReactionStore } from './reactions.js';
import { RestFaults } from './rest-faults.js';
import { metaRoutes } from './rest/meta.js';
import { SnowflakeGenerator } from './snowflake.js';
import {
	DiscordState,
	type AddChannelInput,
	type AddGuildInput,
	type AddMemberInput,
	type AddRoleInput,
	type AddUserInput,
	type MessageEvent,
	type StoredGuild,
	type UpdateMemberInput
} from './state.js';
import { ChangeNotifier } from './waiters.js';

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
	sessionStartLimit?: { total?: number; maxConcurrency?: number };
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
}

function checkedMs(ms: number): number {
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

/**
 * A local stand-in for Discord's REST API and gateway, for running the real discord.js
 * client (and Sapphire) against. See index.ts for the public surface.
 */
export class DiscordStandIn {
	public readonly state: DiscordState;
	public readonly gateway: GatewayServer;
	public readonly interactions: InteractionService;
	public readonly rateLimits: RateLimiter;
	public readonly reactions: ReactionStore;
	/**
	 * The stand-in's "now" for the 15-minute interaction token lifetime and the `enforce_nonce` window:
	 * `clock.advance(ms)` steps past them without sleeping. The 3 s first-response deadline also runs on the
	 * real clock (advancing can only bring it nearer); rate limits run on real time only.
	 */
	public readonly clock = new HarnessClock();
	/** Message nonces remembered for `enforce_nonce`. */
	public readonly nonces: EnforcedNonces;
	/** Discord's timings as the stand-in applies them; the start options set them, a test may change them while it runs. */
	public readonly timing: StandInTiming;
	/** Server errors (500/502/503) injected into chosen REST routes. */
	public readonly restFaults = new RestFaults();
	/** Every REST request, in arrival order. */
	public readonly requests: RecordedRequest[] = [];
	/** Unexpected errors inside the stand-in (answered with 500). */
	public readonly internalErrors: Error[] = [];
	public readonly applicationId: string;
	public readonly botUser: APIUser;

	readonly #notifier = new ChangeNotifier();
	readonly #router = new Router();
	readonly #server: Server;
	readonly #actors: Actors;
	readonly #options: DiscordStandInOptions;
	readonly #waitTimeoutMs: number;
	#port = 0;
	#host: string;
	#requestSeq = 0;
	#stopped = false;
	#token: string;

	private constructor(options: DiscordStandInOptions) {
		this.#options = options;
		this.#host = options.host ?? '127.0.0.1';
		this.#waitTimeoutMs = options.waitTimeoutMs ?? 5_000;
		const ids = new SnowflakeGenerator();
		this.applicationId = options.applicationId ?? ids.next();
		this.botUser = {
			id: this.applicationId,
			username: options.botUsername ?? 'harness-bot',
			discriminator: '0',
			global_name: null,
			avatar: null,
			bot: true,
			system: false,
			banner: null,
			accent_color: null,
			public_flags: 0 as NonNullable<APIUser['public_flags']>,
			avatar_decoration_data: null,
			collectibles: null,
			primary_guild: null
		};
		this.#token = options.botToken ?? this.newToken();
		this.state = new DiscordState({ ids, notifier: this.#notifier, botUser: this.botUser, applicationId: this.applicationId });

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
		this.rateLimits = new RateLimiter(config);

		const privilegedIntents: PrivilegedIntents = {
			guildMembers: options.privilegedIntents?.guildMembers ?? true,
			guildPresences: options.privilegedIntents?.guildPresences ?? true,
			messageContent: options.privilegedIntents?.messageContent ?? true
		};
		const sessionStartLimit = {
			total: options.sessionStartLimit?.total ?? 1000,
			remaining: options.sessionStartLimit?.total ?? 1000,
			resetAfterMs: 86_400_000,
			maxConcurrency: options.sessionStartLimit?.maxConcurrency ?? 1
		};
		this.gateway = new GatewayServer(
			{
				state: this.state,
				notifier: this.#notifier,
				baseUrl: () => this.gatewayUrl,
				onIdentify: () => {
					sessionStartLimit.remaining = Math.max(0, sessionStartLimit.remaining - 1);
				}
			},
			{
				token: this.token,
				heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
				privilegedIntents,
				maxGuildsPerShard: options.maxGuildsPerShard ?? 2_500,
				replayBufferSize: options.replayBufferSize ?? 50_000,
				sendLimit: options.gatewaySendLimit ?? { limit: 120, windowMs: 60_000 },
				ackHeartbeats: true,
				memberListWindowMs: options.memberListWindowMs ?? 30_000
			}
		);
		this.interactions = new InteractionService({
			state: this.state,
			gateway: this.gateway,
			notifier: this.#notifier,
			clock: this.clock,
			baseUrl: () => this.baseUrl,
			timing: {
				responseWindowMs: options.interactionResponseWindowMs ?? 3_000,
				tokenLifetimeMs: options.interactionTokenLifetimeMs ?? 15 * 60_000,
				waitTimeoutMs: this.#waitTimeoutMs
			}
		});
		this.reactions = new ReactionStore(this.state, this.gateway);
		const nonceWindow = { ms: options.enforcedNonceWindowMs ?? DEFAULT_ENFORCED_NONCE_WINDOW_MS };
		this.nonces = new EnforcedNonces(this.clock, () => nonceWindow.ms);
		const interactionTiming = this.interactions.context.timing;
		const gatewayOptions = this.gateway.options;
		this.timing = {
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
			}
		};
		this.#actors = new Actors({ state: this.state, gateway: this.gateway, interactions: this.interactions });
		this.interactions.modalSubmitter = (record, input) => this.#actors.submitModalFor(record, input.fields);

		const restContext: RestContext = {
			state: this.state,
			gateway: this.gateway,
			interactions: this.interactions,
			reactions: this.reactions,
			clock: this.clock,
			nonces: this.nonces,
			token: () => this.token,
			privilegedIntents,
			baseUrl: () => this.baseUrl,
			gatewayUrl: () => this.gatewayUrl,
			sessionStartLimit
		};
		this.#router.add(
			...metaRoutes(restContext),
			...commandRoutes(restContext),
			...channelRoutes(restContext),
			...guildRoutes(restContext),
			...memberRoleRoutes(restContext),
			...reactionRoutes(restContext),
			...interactionRoutes(restContext)
		);

		this.#server = createServer((request, response) => {
			this.handle(request, response).catch((error: unknown) => {
				this.noteInternalError(error);
				if (!response.headersSent) writeResponse(response, { status: 500, body: { message: '500: Internal Server Error', code: 0 } });
			});
		});
		this.#server.on('upgrade', (request: IncomingMessage, socket, head: Buffer) => {
			if ((request.url ?? '').startsWith('/api')) {
				socket.destroy();
				return;
			}
			this.gateway.handleUpgrade(request, socket, head);
		});
	}

	/** Starts the stand-in on a free local port. */
	public static async start(options: DiscordStandInOptions = {}): Promise<DiscordStandIn> {
		const standIn = new DiscordStandIn(options);
		await new Promise<void>((resolve, reject) => {
			standIn.#server.once('error', reject);
			standIn.#server.listen(options.port ?? 0, standIn.#host, () => {
				standIn.#server.off('error', reject);
				resolve();
			});
		});
		standIn.#port = (standIn.#server.address() as AddressInfo).port;
		return standIn;
	}

	/** Closes every gateway connection and the HTTP server. */
	public async stop(): Promise<void> {
		if (this.#stopped) return;
		this.#stopped = true;
		this.interactions.dispose();
		await this.gateway.close();
		this.#server.closeAllConnections();
		await new Promise<void>((resolve) => this.#server.close(() => resolve()));
	}

	// ------------------------------------------------------------------------- the bot token

	/** The bot token Discord accepts right now (`Authorization: Bot <token>`, IDENTIFY, RESUME). */
	public get token(): string {
		return this.#token;
	}

	/**
	 * "Reset Token" in the developer portal: the old token stops working at once and a new one is returned.
	 * REST calls with the old token get 401 `{"message": "401: Unauthorized", "code": 0}` (discord-api-docs
	 * developers/topics/opcodes-and-status-codes.mdx: HTTP 401 "The Authorization header was missing or invalid",
	 * JSON code 0 "General error"), and IDENTIFY or RESUME with it is closed with 4004 Authentication failed
	 * (same page). Gateway connections already open are left as they are: close them with
	 * `gateway.dropConnections({ code: 4004 })` to play a session being cut as well.
	 */
	public resetToken(): string {
		this.#token = this.newToken();
		this.gateway.options.token = this.#token;
		this.#notifier.notify();
		return this.#token;
	}

	/** A token shaped like Discord's: the base64 user id, a timestamp part and an HMAC part. */
	private newToken(): string {
		return `${Buffer.from(this.applicationId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(28).toString('base64url')}`;
	}

	// ------------------------------------------------------------------------- addresses

	public get port(): number {
		return this.#port;
	}

	/** `http://127.0.0.1:<port>` */
	public get baseUrl(): string {
		return `http://${this.#host}:${this.#port}`;
	}

	/** For discord.js: `new Client({ rest: { api: standIn.restUrl } })`. */
	public get restUrl(): string {
		return `${this.baseUrl}/api`;
	}

	/** What GET /gateway/bot answers: `ws://127.0.0.1:<port>`. */
	public get gatewayUrl(): string {
		return `ws://${this.#host}:${this.#port}`;
	}

	/** Client options that point discord.js at the stand-in; spread them into `new Client({...})`. */
	public clientOptions(): { rest: { api: string } } {
		return { rest: { api: this.restUrl } };
	}

	// ------------------------------------------------------------------------- seeding (silent)

	public addUser(input: AddUserInput): APIUser {
		return this.state.addUser(input);
	}

	/** A guild with @everyone, its owner, a "general" channel and (by default) the bot as member. */
	public addGuild(input: AddGuildInput): StoredGuild {
		return this.state.addGuild(input);
	}

	public addChannel(guildId: string, input: AddChannelInput): APIChannel {
		return this.state.addChannel(guildId, input);
	}

	public addRole(guildId: string, input: AddRoleInput): APIRole {
		return this.state.addRole(guildId, input);
	}

	/** Adds a member; returns it as Discord renders it (with `user`). */
	public addMember(guildId: string, input: AddMemberInput): APIGuildMember {
		const member = this.state.addMember(guildId, input);
		return this.state.memberToAPI(guildId, member.userId);
	}

	/** Stores a message written by a user, without dispatching it. */
	public addMessage(input: MessageInput): APIMessage {
		return this.createUserMessage(input, false);
	}

	// ------------------------------------------------------------------------- acting (state + dispatch)

	/** A user posts a message: stored and dispatched as MESSAGE_CREATE. */
	public postMessage(input: MessageInput): APIMessage {
		return this.createUserMessage(input, true);
	}

	/** A user reacts to a message (or removes the reaction): MESSAGE_REACTION_ADD / _REMOVE. */
	public react(input: { messageId: string; userId: string; emoji: string; remove?: boolean }): void {
		const found = this.state.findMessage(input.messageId);
		if (!found || found.ephemeral) throw new Error(`Discord stand-in: unknown channel message ${input.messageId}`);
		this.state.requireUser(input.userId);
		this.reactions.apply(found.message, input.userId, input.emoji, input.remove !== true);
	}

	/** A user joins a guild: GUILD_MEMBER_ADD. */
	public memberJoin(guildId: string, input: AddMemberInput): APIGuildMember {
		const member = this.addMember(guildId, input);
		this.gateway.guildMemberAdd(guildId, member.user.id);
		return member;
	}

	/** A member's roles/nick change: GUILD_MEMBER_UPDATE. */
	public memberUpdate(guildId: string, userId: string, patch: UpdateMemberInput): APIGuildMember {
		this.state.updateMember(guildId, userId, patch);
		this.gateway.guildMemberUpdate(guildId, userId);
		return this.state.memberToAPI(guildId, userId);
	}

	/** A member leaves: GUILD_MEMBER_REMOVE. */
	public memberLeave(guildId: string, userId: string): void {
		this.state.removeMember(guildId, userId);
		this.gateway.guildMemberRemove(guildId, this.state.requireUser(userId));
	}

	/** The bot is added to a new guild: GUILD_CREATE. */
	public joinGuild(input: AddGuildInput): StoredGuild {
		const guild = this.state.addGuild({ ...input, botIsMember: true });
		this.gateway.guildCreate(guild.id);
		return guild;
	}

	/** The bot is removed from a guild: GUILD_DELETE (without `unavailable`). */
	public leaveGuild(guildId: string): void {
		this.state.removeMember(guildId, this.botUser.id);
		this.gateway.guildDelete(guildId, false);
	}

	public runSlashCommand(input: SlashCommandInput): InteractionHandle {
		return this.#actors.runSlashCommand(input);
	}

	public runUserContextMenu(input: UserContextMenuInput): InteractionHandle {
		return this.#actors.runUserContextMenu(input);
	}

	public runMessageContextMenu(input: MessageContextMenuInput): InteractionHandle {
		return this.#actors.runMessageContextMenu(input);
	}

	public autocomplete(input: AutocompleteInput): InteractionHandle {
		return this.#actors.autocomplete(input);
	}

	public pressButton(input: PressButtonInput): InteractionHandle {
		return this.#actors.pressButton(input);
	}

	public selectMenu(input: SelectMenuInput): InteractionHandle {
		return this.#actors.selectMenu(input);
	}

	public submitModal(input: SubmitModalInput): InteractionHandle {
		return this.#actors.submitModal(input);
	}

	// ------------------------------------------------------------------------- reading back

	/** A channel's current messages, oldest first (ephemeral ones are never in a channel). */
	public channelMessages(channelId: string): APIMessage[] {
		return this.state.messagesIn(channelId);
	}

	/** Every message create/update/delete, in order (snapshots). */
	public get messageEvents(): readonly MessageEvent[] {
		return this.state.messageEvents;
	}

	public requestsMatching(filter: RequestFilter): RecordedRequest[] {
		return this.requests.filter((r) => matchesRequest(r, filter));
	}

	public rateLimitStats(): RateLimitStats {
		return this.rateLimits.stats();
	}

	/** Resolves with the first message event (past or future) matching the filter. */
	public waitForMessage(filter: MessageWaitFilter, timeoutMs = this.#waitTimeoutMs): Promise<MessageEvent> {
		const kind = filter.kind ?? 'create';
		const matches = (event: MessageEvent): boolean => {
			if (event.kind !== kind) return false;
			if (filter.channelId !== undefined && event.channelId !== filter.channelId) return false;
			if (filter.authorId !== undefined && event.message.author.id !== filter.authorId) return false;
			if (filter.content !== undefined) {
				const content = event.message.content;
				if (typeof filter.content === 'string' ? !content.includes(filter.content) : !filter.content.test(content)) return false;
			}
			return filter.predicate ? filter.predicate(event) : true;
		};
		return this.waitFor(
			() => this.state.messageEvents.find(matches),
			`a message ${kind} matching ${describeFilter(filter)}`,
			timeoutMs,
			() => `  message events so far: ${this.state.messageEvents.length}`
		);
	}

	/** Resolves with the first REST request (past or future) matching the filter. */
	public waitForRequest(filter: RequestFilter, timeoutMs = this.#waitTimeoutMs): Promise<RecordedRequest> {
		return this.waitFor(
			() => this.requests.find((r) => matchesRequest(r, filter)),
			`a request matching ${describeFilter(filter)}`,
			timeoutMs,
			() =>
				`  requests so far: ${this.requests
					.map((r) => `${r.method} ${r.route} ${r.status}`)
					.slice(-10)
					.join(', ')}`
		);
	}

	/** Resolves once `count` IDENTIFYs were answered with READY. */
	public waitForIdentify(count = 1, timeoutMs = this.#waitTimeoutMs): Promise<number> {
		return this.waitFor(() => (this.gateway.identifies >= count ? this.gateway.identifies : undefined), `${count} gateway IDENTIFY`, timeoutMs);
	}

	/** Resolves once `count` RESUMEs succeeded. */
	public waitForResume(count = 1, timeoutMs = this.#waitTimeoutMs): Promise<number> {
		return this.waitFor(() => (this.gateway.resumes >= count ? this.gateway.resumes : undefined), `${count} gateway RESUME`, timeoutMs);
	}

	/** Resolves with the first non-undefined `probe()` value; re-checked on every stand-in change. */
	public waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = this.#waitTimeoutMs, diagnose?: () => string): Promise<T> {
		return this.#notifier.waitFor(probe, what, timeoutMs, diagnose);
	}

	// ------------------------------------------------------------------------- internals

	private createUserMessage(input: MessageInput, dispatch: boolean): APIMessage {
		const state = this.state;
		const author = state.requireUser(input.authorId);
		const channel = state.requireChannel(input.channelId);
		const guildId = state.guildIdOfChannel(channel.id);
		if (guildId && !state.guilds.get(guildId)?.members.has(author.id)) {
			throw new Error(`Discord stand-in: user ${author.id} is not a member of guild ${guildId}`);
		}
		const body = validateMessageBody({ content: input.content, embeds: input.embeds, components: input.components }, [], 'create');
		const reference = input.replyTo
			? { type: 0 as const, message_id: input.replyTo, channel_id: channel.id, ...(guildId ? { guild_id: guildId } : {}) }
			: undefined;
		const message = buildMessage(state, this.baseUrl, {
			channelId: channel.id,
			author,
			body,
			type: reference ? MessageType.Reply : MessageType.Default,
			...(reference ? { messageReference: reference } : {})
		});
		state.insertMessage(message, { ephemeral: false, source: dispatch ? 'user' : 'seed' });
		if (dispatch) this.gateway.messageCreate(message);
		return message;
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const url = new URL(request.url ?? '/', this.baseUrl);
		const method = (request.method ?? 'GET').toUpperCase();
		const raw = await readBody(request);

		if (url.pathname.startsWith('/attachments/')) {
			this.serveAttachment(url.pathname, response);
			return;
		}
		const path = apiPath(url.pathname);
		if (path === undefined) {
			writeResponse(response, { status: 404, body: DiscordErrors.notFound().body });
			return;
		}

		const match = this.#router.match(method, path);
		const route = match.kind === 'found' ? match.definition.route : match.kind === 'wrong-method' ? match.route : genericRouteOf(path);
		const params = match.kind === 'found' ? match.params : {};
		const authenticated = request.headers.authorization === `Bot ${this.token}`;
		const record: RecordedRequest = {
			seq: ++this.#requestSeq,
			at: Date.now(),
			method,
			path: safeDecode(path),
			route,
			params,
			query: Object.fromEntries(url.searchParams),
			authenticated,
			body: undefined,
			files: [],
			status: 0,
			response: undefined,
			responseHeaders: {}
		};

		let parsed: Awaited<ReturnType<typeof parseBody>> | undefined;
		let parseError: unknown;
		try {
			parsed = await parseBody(raw, request.headers['content-type']);
			record.body = parsed.body;
			record.files = parsed.files.map((f) => ({ field: f.field, filename: f.filename, contentType: f.contentType, size: f.data.length }));
		} catch (error) {
			parseError = error;
		}

		let result: HarnessResponse;
		let headers: Record<string, string> = {};
		try {
			if (match.kind === 'none') throw DiscordErrors.notFound();
			if (match.kind === 'wrong-method') throw DiscordErrors.methodNotAllowed();
			const definition = match.definition;
			if (definition.auth && !authenticated) throw DiscordErrors.unauthorized();
			const decision = this.rateLimits.check({
				method,
				route,
				params,
				exemptFromGlobal: route.startsWith('/interactions/') || (route.startsWith('/webhooks/') && params.webhook_id === this.applicationId)
			});
			headers = decision.headers;
			if (!decision.allowed) {
				result = { status: 429, body: decision.body };
			} else {
				if (parseError !== undefined || !parsed) throw parseError;
				const harnessRequest: HarnessRequest = {
					method,
					path,
					route,
					params,
					query: url.searchParams,
					headers: request.headers,
					body: parsed.body,
					files: parsed.files
				};
				result = this.restFaults.take(method, route) ?? (await definition.handler(harnessRequest));
			}
		} catch (error) {
			if (error instanceof DiscordHTTPError) {
				result = { status: error.status, body: error.body };
			} else {
				this.noteInternalError(error);
				result = { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
			}
		}
		const finalHeaders = { ...headers, ...result.headers };
		record.status = result.status;
		record.response = result.body;
		record.responseHeaders = finalHeaders;
		this.requests.push(record);
		writeResponse(response, { ...result, headers: finalHeaders });
		this.#notifier.notify();
	}

	private serveAttachment(pathname: string, response: ServerResponse): void {
		const id = pathname.split('/')[3] ?? '';
		const file = this.state.attachmentFiles.get(id);
		if (!file) {
			writeResponse(response, { status: 404, body: DiscordErrors.notFound().body });
			return;
		}
		response.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': String(file.data.length) });
		response.end(file.data);
	}

	private noteInternalError(error: unknown): void {
		const err = error instanceof Error ? error : new Error(String(error));
		this.internalErrors.push(err);
		if (this.#options.logInternalErrors !== false) console.error('[discord stand-in] internal error:', err);
	}
}

const REACTION_ROUTE = '/channels/:channel_id/messages/:message_id/reactions/:emoji/@me';

/** `/api/v10/x` → `/x`; also accepts `/api/v9` and an unversioned `/api`. */
function apiPath(pathname: string): string | undefined {
	if (pathname !== '/api' && !pathname.startsWith('/api/')) return undefined;
	const rest = pathname.slice(4);
	const versioned = /^\/v(\d+)(\/.*)?$/.exec(rest);
	if (!versioned) return rest || '/';
	if (versioned[1] !== '10' && versioned[1] !== '9') return undefined;
	return versioned[2] ?? '/';
}

function safeDecode(path: string): string {
	try {
		return decodeURIComponent(path);
	} catch {
		return path;
	}
}

function describeFilter(filter: object): string {
	const parts = Object.entries(filter)
		.filter(([, v]) => v !== undefined)
		.map(([k, v]) => `${k}=${typeof v === 'function' ? '<predicate>' : String(v)}`);
	return parts.length > 0 ? `{ ${parts.join(', ')} }` : 'anything';
}
