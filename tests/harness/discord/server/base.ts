import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIUser } from 'discord-api-types/v10';
import { Actors } from '../actors.js';
import { HarnessClock } from '../clock.js';
import type { RestContext } from '../context.js';
import { DISCORD_IDENTIFY_WINDOW_MS, GatewayServer, type PrivilegedIntents } from '../gateway.js';
import { Router, writeResponse } from '../http.js';
import { InteractionService } from '../interactions.js';
import { DEFAULT_ENFORCED_NONCE_WINDOW_MS, EnforcedNonces } from '../nonces.js';
import { RateLimiter } from '../rate-limits.js';
import type { RecordedRequest } from '../recorder.js';
import { channelRoutes } from '../rest/channels.js';
import { commandRoutes } from '../rest/commands.js';
import { guildRoutes } from '../rest/guilds.js';
import { interactionRoutes } from '../rest/interactions.js';
import { memberRoleRoutes } from '../rest/members.js';
import { reactionRoutes } from '../rest/reactions.js';
import { ReactionStore } from '../reactions.js';
import { RestFaults } from '../rest-faults.js';
import { metaRoutes } from '../rest/meta.js';
import { activityRoutes } from '../rest/activities.js';
import { OAuth2Endpoints } from '../rest/oauth2.js';
import { ActivityState } from '../state/activities.js';
import { SnowflakeGenerator } from '../snowflake.js';
import { DiscordState } from '../state.js';
import { ChangeNotifier } from '../waiters.js';
import { liveTiming, rateLimitConfigOf, type DiscordStandInOptions, type StandInTiming } from './options.js';

/**
 * The stand-in's parts wired together (state, gateway, interactions, REST routes), its HTTP server, bot token and
 * addresses. Serving requests and the test-facing API are the layers on top (requests.ts, stand-in.ts).
 */
export abstract class StandInBase {
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
	/** Activities: running instances and the OAuth2 sign-in (codes, tokens, the client secret); see state/activities.ts. */
	public readonly activities: ActivityState;

	protected readonly notifier = new ChangeNotifier();
	protected readonly router = new Router();
	readonly #server: Server;
	protected readonly actors: Actors;
	protected readonly options: DiscordStandInOptions;
	protected readonly waitTimeoutMs: number;
	#port = 0;
	#host: string;
	protected requestSeq = 0;
	#stopped = false;
	#token: string;

	protected constructor(options: DiscordStandInOptions) {
		this.options = options;
		this.#host = options.host ?? '127.0.0.1';
		this.waitTimeoutMs = options.waitTimeoutMs ?? 5_000;
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
		this.state = new DiscordState({ ids, notifier: this.notifier, botUser: this.botUser, applicationId: this.applicationId });
		this.activities = new ActivityState(this.state, ids);

		this.rateLimits = new RateLimiter(rateLimitConfigOf(options));

		const privilegedIntents: PrivilegedIntents = {
			guildMembers: options.privilegedIntents?.guildMembers ?? true,
			guildPresences: options.privilegedIntents?.guildPresences ?? true,
			messageContent: options.privilegedIntents?.messageContent ?? true
		};
		this.gateway = new GatewayServer(
			{ state: this.state, notifier: this.notifier, baseUrl: () => this.gatewayUrl },
			{
				token: this.token,
				heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
				privilegedIntents,
				maxGuildsPerShard: options.maxGuildsPerShard ?? 2_500,
				replayBufferSize: options.replayBufferSize ?? 50_000,
				sendLimit: options.gatewaySendLimit ?? { limit: 120, windowMs: 60_000 },
				ackHeartbeats: true,
				memberListWindowMs: options.memberListWindowMs ?? 30_000,
				sessionStarts: {
					total: options.sessionStartLimit?.total ?? 1000,
					maxConcurrency: options.sessionStartLimit?.maxConcurrency ?? 1,
					windowMs: options.identifyWindowMs ?? DISCORD_IDENTIFY_WINDOW_MS
				},
				recommendedShards: options.recommendedShards
			}
		);
		this.interactions = new InteractionService({
			state: this.state,
			gateway: this.gateway,
			notifier: this.notifier,
			clock: this.clock,
			baseUrl: () => this.baseUrl,
			timing: {
				responseWindowMs: options.interactionResponseWindowMs ?? 3_000,
				tokenLifetimeMs: options.interactionTokenLifetimeMs ?? 15 * 60_000,
				waitTimeoutMs: this.waitTimeoutMs
			}
		});
		this.reactions = new ReactionStore(this.state, this.gateway);
		const nonceWindow = { ms: options.enforcedNonceWindowMs ?? DEFAULT_ENFORCED_NONCE_WINDOW_MS };
		this.nonces = new EnforcedNonces(this.clock, () => nonceWindow.ms);
		this.timing = liveTiming(this.interactions.context.timing, this.gateway, nonceWindow);
		this.actors = new Actors({ state: this.state, gateway: this.gateway, interactions: this.interactions });
		this.interactions.modalSubmitter = (record, input) => this.actors.submitModalFor(record, input.fields);
		this.interactions.activityLauncher = (record) =>
			this.activities.enabled ? this.activities.launch(record.guildId ?? '', record.channelId, record.user.id) : undefined;

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
			gatewayUrl: () => this.gatewayUrl
		};
		this.router.add(
			...metaRoutes(restContext),
			...commandRoutes(restContext),
			...channelRoutes(restContext),
			...guildRoutes(restContext),
			...memberRoleRoutes(restContext),
			...reactionRoutes(restContext),
			...interactionRoutes(restContext),
			...activityRoutes(restContext, this.activities)
		);
		const oauth2 = new OAuth2Endpoints(this.activities, () => this.applicationId);

		this.#server = createServer((request, response) => {
			const serving = oauth2.claims(request) ? oauth2.serve(request, response) : this.handle(request, response);
			serving.catch((error: unknown) => {
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

	/** Listens on `port` (0: a free one); `DiscordStandIn.start` calls it once. */
	protected async listen(port: number): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.#server.once('error', reject);
			this.#server.listen(port, this.#host, () => {
				this.#server.off('error', reject);
				resolve();
			});
		});
		this.#port = (this.#server.address() as AddressInfo).port;
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
		this.notifier.notify();
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

	protected abstract handle(request: IncomingMessage, response: ServerResponse): Promise<void>;

	protected abstract noteInternalError(error: unknown): void;
}
