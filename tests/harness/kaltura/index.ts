/**
 * Kaltura API v3 stand-in for tests: the real `kaltura-client` runs against it unmodified
 * (only Configuration.serviceUrl changes).
 *
 *   const kaltura = await KalturaStandIn.start({ partnerId: 12345, adminSecret: 'secret' });
 *   const client = createKalturaClient(kaltura.serviceUrl);
 *   const ks = await kalturaClient.services.session.start('secret', 'bot', 2, 12345).execute(client);
 *   ...
 *   await kaltura.stop();
 */
import { randomBytes } from 'node:crypto';
import { ADMIN_CONSOLE_PARTNER_ID } from './auth.js';
import type { DispatchEnv } from './dispatcher.js';
import { FaultInjector } from './faults.js';
import { buildKs, parseKs, type BuildKsOptions, type ParsedKs } from './ks.js';
import { NotificationDispatcher } from './notification-dispatcher.js';
import { NotificationSender } from './notification-sender.js';
import { startHttpServer, type RunningServer } from './server.js';
import { KalturaState } from './state.js';
import { StandInStats } from './stats.js';

export interface KalturaStandInOptions {
	/** default 12345 */
	partnerId?: number;
	/** default: 32 random hex chars */
	adminSecret?: string;
	/** valid for USER sessions only; default: 32 random hex chars */
	userSecret?: string;
	host?: string;
	/** 0 (default) = a free port */
	port?: number;
	/** cap for session.start expiry (seconds) */
	maxKsExpiry?: number;
	/** list results beyond this many matches fail with QUERY_EXCEEDED_MAX_MATCHES_ALLOWED (default 10000) */
	maxMatches?: number;
	/** media.addContent / addFromUrl: ms until the entry becomes READY (default 20) */
	conversionDelayMs?: number;
	notifications?: {
		/** total delivery attempts (Kaltura default 3) */
		attempts?: number;
		/** ms between attempts (Kaltura: 60000; default here 100 to keep tests fast) */
		retryIntervalMs?: number;
		/** per-attempt timeout ms (default 5000) */
		timeoutMs?: number;
		/** template-driven dispatch on state changes (default true) */
		autoDispatch?: boolean;
		/** delay before a template-driven dispatch (Kaltura: ~5–15 s; default 0) */
		delayMs?: number;
	};
}

export class KalturaStandIn {
	/** for kaltura-client's Configuration.serviceUrl (no trailing slash) */
	readonly serviceUrl: string;
	readonly partnerId: number;
	readonly adminSecret: string;
	readonly userSecret: string;
	/** partner data + seed helpers */
	readonly state: KalturaState;
	readonly faults: FaultInjector;
	readonly stats: StandInStats;
	/** HTTP notification sender (explicit sends + template-driven dispatches) */
	readonly notifications: NotificationSender;
	readonly dispatcher: NotificationDispatcher;
	private readonly server: RunningServer;
	private stopped = false;

	private constructor(init: {
		server: RunningServer;
		partnerId: number;
		adminSecret: string;
		userSecret: string;
		state: KalturaState;
		faults: FaultInjector;
		stats: StandInStats;
		notifications: NotificationSender;
		dispatcher: NotificationDispatcher;
	}) {
		this.server = init.server;
		this.serviceUrl = init.server.url;
		this.partnerId = init.partnerId;
		this.adminSecret = init.adminSecret;
		this.userSecret = init.userSecret;
		this.state = init.state;
		this.faults = init.faults;
		this.stats = init.stats;
		this.notifications = init.notifications;
		this.dispatcher = init.dispatcher;
	}

	static async start(opts: KalturaStandInOptions = {}): Promise<KalturaStandIn> {
		const partnerId = opts.partnerId ?? 12345;
		const adminSecret = opts.adminSecret ?? randomBytes(16).toString('hex');
		const userSecret = opts.userSecret ?? randomBytes(16).toString('hex');
		const state = new KalturaState(partnerId);
		state.addPartner({ id: partnerId, adminSecret, userSecret, ...(opts.maxKsExpiry ? { maxKsExpiry: opts.maxKsExpiry } : {}) });
		if (opts.maxMatches !== undefined) state.maxMatches = opts.maxMatches;
		if (opts.conversionDelayMs !== undefined) state.conversionDelayMs = opts.conversionDelayMs;
		const faults = new FaultInjector();
		const stats = new StandInStats();
		const n = opts.notifications ?? {};
		const notifications = new NotificationSender(
			adminSecret,
			{
				attempts: n.attempts ?? 3,
				retryIntervalMs: n.retryIntervalMs ?? 100,
				timeoutMs: n.timeoutMs ?? 5000
			},
			state
		);
		const dispatcher = new NotificationDispatcher(state, notifications, { enabled: n.autoDispatch ?? true, delayMs: n.delayMs ?? 0 });
		const env: DispatchEnv = { state, faults, stats };
		const server = await startHttpServer(env, { ...(opts.host ? { host: opts.host } : {}), ...(opts.port ? { port: opts.port } : {}) });
		return new KalturaStandIn({ server, partnerId, adminSecret, userSecret, state, faults, stats, notifications, dispatcher });
	}

	/** Mint a KS v2 for this partner locally (default: ADMIN, user '', 24 h). */
	mintKs(opts: Partial<Omit<BuildKsOptions, 'partnerId' | 'adminSecret'>> = {}): string {
		return buildKs({ partnerId: this.partnerId, adminSecret: this.adminSecret, type: 2, now: this.state.now(), ...opts });
	}

	/**
	 * An ADMIN KS of Kaltura's Admin Console partner (-2), registered on first use: the one partner allowed
	 * eventNotificationTemplate.add (with no `partnerId`, into partner 0 for every partner to clone) and allowed to act
	 * on any partner by passing `partnerId`.
	 */
	adminConsoleKs(): string {
		let adminConsole = this.state.partner(ADMIN_CONSOLE_PARTNER_ID);
		if (!adminConsole) {
			adminConsole = {
				id: ADMIN_CONSOLE_PARTNER_ID,
				adminSecret: randomBytes(16).toString('hex'),
				userSecret: randomBytes(16).toString('hex'),
				name: 'Admin Console'
			};
			this.state.addPartner(adminConsole);
		}
		return buildKs({
			partnerId: ADMIN_CONSOLE_PARTNER_ID,
			adminSecret: adminConsole.adminSecret,
			type: 2,
			userId: 'admin-console',
			now: this.state.now()
		});
	}

	/** Decode a KS of this partner (throws KsParseError when it is not valid for this admin secret). */
	parseKs(ks: string): ParsedKs {
		return parseKs(ks, this.adminSecret);
	}

	/** Stop the HTTP server (dropping hung requests), pending conversions and notification retries. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		this.dispatcher.stop();
		this.notifications.stop();
		this.state.clearTimers();
		await this.server.close();
		await this.notifications.idle();
	}
}

export { createKalturaClient, kaltura, SILENT_LOGGER } from './client.js';
export type { CreateClientOptions, KalturaClient, KalturaModule, KalturaRequest } from './client.js';
export { ERROR_TEMPLATES, errorBody, errorFromTemplate, isKalturaApiErrorBody, KalturaApiError } from './errors.js';
export type { KalturaApiErrorBody, KnownErrorCode } from './errors.js';
export type { FaultHandle, FaultMatch, Times } from './faults.js';
export { FaultInjector } from './faults.js';
export {
	buildKs,
	buildKsV1,
	isKsExpired,
	KS_TYPE_ADMIN,
	KS_TYPE_USER,
	KsParseError,
	parseKs,
	peekKsPartnerId,
	privilegesToMap,
	privilegesToString,
	SERVER_PRIVILEGES,
	verifyKs
} from './ks.js';
export type { BuildKsOptions, ParsedKs } from './ks.js';
export {
	algoFromSecureHashingAlgo,
	KALTURA_NOTIFICATION_USER_AGENT,
	NOTIFICATION_EVENTS,
	NotificationSender,
	signKalturaPayload
} from './notification-sender.js';
export type {
	DeliveryAttempt,
	DeliveryResult,
	HashAlgo,
	HttpMethod,
	NotificationEventName,
	SendEventOptions,
	SendOptions
} from './notification-sender.js';
export { EVENT_OBJECT_TYPE, EVENT_TYPE, KalturaState } from './state.js';
export type { DomainEvent, RoleDef, TemplateCondition } from './state.js';
export { StandInStats } from './stats.js';
export type { CallRecord } from './stats.js';
