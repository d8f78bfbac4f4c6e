import { createHash, randomBytes } from 'node:crypto';
import type { AppTokenHashType, KalturaSessionEnvironment } from '../env.js';
import { KalturaFacade } from './kaltura-facade.js';
import { createKalturaClient } from './kaltura-client.js';
import { KalturaError, toKalturaError } from './kaltura-error.js';
import { buildKsV2, KalturaSessionType } from './ks-v2.js';
import { privilegeMap } from './privileges.js';
import { executeOn } from './services/kaltura-request.js';
import { session } from './services/session.js';
import { type KsSource, type MintedKs, SessionCache, type SessionRequest } from './session-cache.js';

/** Where the partner's Kaltura is and how long to wait for it: what every call needs, and no credential. */
export interface KalturaAccount {
	readonly serviceUrl: string;
	readonly partnerId: number;
	readonly timeoutMs: number;
}

/** An account with the partner admin secret: the `local` and `session-start` sources cannot be built without one. */
export interface AdminSecretAccount extends KalturaAccount {
	readonly adminSecret: string;
}

/** An app token made for the bot (`appToken.add`); `hashType` must be the one the token was created with. */
export interface AppTokenCredentials {
	readonly id: string;
	readonly token: string;
	readonly hashType: AppTokenHashType;
}

/** An account with an app token instead of the admin secret: what the `app-token` source needs. */
export interface AppTokenAccount extends KalturaAccount {
	readonly appToken: AppTokenCredentials;
}

/** Builds each KS in-process (KS v2): no API call, no round trip, nothing to fail but the clock. */
export class LocalKsSource implements KsSource {
	public constructor(private readonly account: Pick<AdminSecretAccount, 'partnerId' | 'adminSecret'>) {}

	public mint(request: SessionRequest, expirySeconds: number): Promise<MintedKs> {
		return Promise.resolve({ ks: buildKsV2({ ...this.account, ...request, expirySeconds }) });
	}
}

/** Asks Kaltura for each KS with `session.start` and the admin secret. */
export class SessionStartKsSource implements KsSource {
	public constructor(private readonly account: AdminSecretAccount) {}

	public async mint(request: SessionRequest, expirySeconds: number): Promise<MintedKs> {
		const client = createKalturaClient(this.account);
		try {
			const ks = await executeOn(session.start(this.account.adminSecret, this.account.partnerId, { ...request, expirySeconds }), client);
			return { ks };
		} catch (error) {
			throw toKalturaError(error);
		}
	}
}

const HASH_ALGORITHMS: Readonly<Record<AppTokenHashType, string>> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512', MD5: 'md5' };

/** Kaltura's default widget KS lifetime; the widget KS only opens app-token sessions, so it is reused this long. */
const WIDGET_KS_LIFETIME_SECONDS = 24 * 60 * 60;
/** A cached widget KS is replaced once it has less than this left. */
const WIDGET_KS_RENEW_BEFORE_SECONDS = 10 * 60;

export interface AppTokenKsSourceOptions {
	/** Lifetime asked for each widget KS (default 24 hours). */
	readonly widgetLifetimeSeconds?: number;
	/** Seconds since the epoch; injectable so the widget KS renewal can be tested. */
	readonly now?: () => number;
	/**
	 * Whose sessions the token opens: the bot's own (default), or the members' (join links). Members'
	 * sessions each get a `sessionid` of their own, so `session.end` with one ends that one alone.
	 */
	readonly for?: 'bot' | 'members';
}

interface CachedWidgetKs {
	readonly ks: string;
	readonly renewAt: number;
}

/**
 * Gets each KS with an app token, so the bot needs no admin secret:
 *
 * 1. `session.startWidgetSession('_' + partnerId)` gives an anonymous widget KS, reused until shortly before it expires;
 * 2. `tokenHash = hex(HASH(widgetKs + token))`, HASH being the token's hash type;
 * 3. `appToken.startSession(id, tokenHash, userId, type, expiry, privileges)`, sent with that same widget KS.
 *
 * Kaltura replaces the requested type and user with the token's own when the token defines them. A KS
 * more powerful than asked for (ADMIN for a USER request) or acting as another user is refused rather
 * than handed out: a member's session must never carry the bot's administrative rights or someone
 * else's identity. Neither the token nor any KS appears in an error.
 */
export class AppTokenKsSource implements KsSource {
	readonly #account: AppTokenAccount;
	readonly #widgetLifetime: number;
	readonly #now: () => number;
	readonly #forMembers: boolean;
	#widget: CachedWidgetKs | undefined;
	#pendingWidget: Promise<string> | undefined;

	public constructor(account: AppTokenAccount, options: AppTokenKsSourceOptions = {}) {
		this.#account = account;
		this.#widgetLifetime = options.widgetLifetimeSeconds ?? WIDGET_KS_LIFETIME_SECONDS;
		this.#now = options.now ?? (() => Date.now() / 1000);
		this.#forMembers = options.for === 'members';
	}

	public async mint(request: SessionRequest, expirySeconds: number): Promise<MintedKs> {
		try {
			return await this.#mint(this.#withOwnSessionId(request), expirySeconds);
		} catch (error) {
			throw this.#named(toKalturaError(error));
		}
	}

	async #mint(request: SessionRequest, expirySeconds: number): Promise<MintedKs> {
		const widgetKs = await this.#widgetKs();
		try {
			return await this.#startSession(widgetKs, request, expirySeconds);
		} catch (error) {
			const failure = toKalturaError(error);
			if (failure.code !== 'INVALID_KS') throw failure;
			// Kaltura no longer takes the cached widget KS (its lifetime was capped, or it was ended): one more try with a new one.
			if (this.#widget?.ks === widgetKs) this.#widget = undefined;
			return await this.#startSession(await this.#widgetKs(), request, expirySeconds);
		}
	}

	/**
	 * Kaltura puts `sessionid:<token id>` in every session a token opens, and `session.end` with any one of
	 * them refuses all of them for 24 hours (invalidSessionPeer::invalidateKs). A member's session gets an
	 * unguessable id of its own instead (Kaltura keeps it when the token grants `sessionid:*`), so a member
	 * who ends their session ends theirs alone.
	 */
	#withOwnSessionId(request: SessionRequest): SessionRequest {
		if (!this.#forMembers) return request;
		const own = `sessionid:${randomBytes(16).toString('hex')}`;
		return { ...request, privileges: request.privileges === '' ? own : `${own},${request.privileges}` };
	}

	/** The token's own failures, worded for the token they concern. */
	#named(failure: KalturaError): KalturaError {
		if (!this.#forMembers || !failure.userMessage.includes('app token')) return failure;
		return new KalturaError(
			failure.code,
			failure.userMessage
				.replaceAll('its app token', 'its app token for members')
				.replaceAll('The bot’s Kaltura app token', 'The Kaltura app token for members'),
			failure.transient
		);
	}

	/** The cached widget KS, or a new one; concurrent mints share one `startWidgetSession` call. */
	#widgetKs(): Promise<string> {
		const cached = this.#widget;
		if (cached !== undefined && this.#now() < cached.renewAt) return Promise.resolve(cached.ks);
		this.#pendingWidget ??= this.#startWidgetSession().finally(() => {
			this.#pendingWidget = undefined;
		});
		return this.#pendingWidget;
	}

	async #startWidgetSession(): Promise<string> {
		const client = createKalturaClient(this.#account);
		const requestedAt = this.#now();
		try {
			const { ks } = await executeOn(session.startWidget(this.#account.partnerId, this.#widgetLifetime), client);
			const renewBefore = Math.min(WIDGET_KS_RENEW_BEFORE_SECONDS, Math.floor(this.#widgetLifetime / 4));
			this.#widget = { ks, renewAt: requestedAt + this.#widgetLifetime - renewBefore };
			return ks;
		} catch (error) {
			throw toKalturaError(error);
		}
	}

	async #startSession(widgetKs: string, request: SessionRequest, expirySeconds: number): Promise<MintedKs> {
		const { id, token, hashType } = this.#account.appToken;
		// The hash covers the very KS this call is sent with: Kaltura checks HASH(ks of the request + token).
		const tokenHash = createHash(HASH_ALGORITHMS[hashType])
			.update(widgetKs + token, 'utf8')
			.digest('hex');
		const client = createKalturaClient(this.#account);
		client.setKs(widgetKs);
		const info = await executeOn(session.startWithAppToken(id, tokenHash, { ...request, expirySeconds }), client);
		if (
			request.type === KalturaSessionType.User &&
			info.sessionType !== undefined &&
			info.sessionType !== null &&
			info.sessionType !== KalturaSessionType.User
		) {
			throw new KalturaError(
				'APP_TOKEN_SESSION_TYPE',
				'The bot’s Kaltura app token forces admin sessions, which the bot does not use for members; it must be created without a session type.',
				false
			);
		}
		const userId = info.userId ?? '';
		if (userId !== request.userId) {
			throw new KalturaError(
				'APP_TOKEN_SESSION_USER',
				'The bot’s Kaltura app token is tied to one Kaltura user, so the bot cannot act for anyone else; it must be created without a session user.',
				false
			);
		}
		this.#checkPrivileges(request.privileges, info.privileges);
		// Kaltura caps the session at the token's own duration and reports the absolute expiry it granted.
		return info.expiry === undefined ? { ks: info.ks } : { ks: info.ks, expiresAt: info.expiry };
	}

	/**
	 * Kaltura silently drops a privilege the caller asks for when it is one Kaltura enforces, or one the
	 * token sets itself, unless the token grants that name with `*` (ks::retrieveAllowedAppSessionPrivileges).
	 * A session without a limit the bot asked for (`urirestrict`, its own `sessionid`) is wider than
	 * intended: refuse it, naming what the token must grant.
	 */
	#checkPrivileges(asked: string, granted: string | null | undefined): void {
		const got = privilegeMap(granted ?? '');
		for (const [name, value] of privilegeMap(asked)) {
			if (got.get(name) === value) continue;
			const whose = this.#forMembers ? 'The Kaltura app token for members' : 'The bot’s Kaltura app token';
			throw new KalturaError(
				'APP_TOKEN_PRIVILEGES',
				`${whose} does not let the bot set the “${name}” privilege; add “${name}:*” to the token’s sessionPrivileges.`,
				false
			);
		}
	}
}

/** The KS source chosen by `KALTURA_SESSION_SOURCE`, with the credentials that source needs and no others. */
export function createKsSource(
	account: KalturaAccount,
	env: KalturaSessionEnvironment & { readonly KALTURA_APP_TOKEN_HASH_TYPE: AppTokenHashType }
): KsSource {
	switch (env.KALTURA_SESSION_SOURCE) {
		case 'app-token':
			return new AppTokenKsSource({
				...account,
				appToken: { id: env.KALTURA_APP_TOKEN_ID, token: env.KALTURA_APP_TOKEN, hashType: env.KALTURA_APP_TOKEN_HASH_TYPE }
			});
		case 'session-start':
			return new SessionStartKsSource({ ...account, adminSecret: env.KALTURA_ADMIN_SECRET });
		case 'local':
			return new LocalKsSource({ partnerId: account.partnerId, adminSecret: env.KALTURA_ADMIN_SECRET });
	}
}

/**
 * Where the KS handed to members (join links) come from. Never the bot's own app token: every session of
 * one token can be ended by any other (a shared `sessionid`), so a member holding one could lock the bot
 * out. With an admin secret, a member's KS is built like any other and carries no `sessionid`: ending it
 * ends that one KS.
 */
export function createMemberKsSource(
	account: KalturaAccount,
	env: KalturaSessionEnvironment & { readonly KALTURA_MEMBER_APP_TOKEN_HASH_TYPE: AppTokenHashType }
): KsSource {
	switch (env.KALTURA_SESSION_SOURCE) {
		case 'app-token':
			return new AppTokenKsSource(
				{
					...account,
					appToken: {
						id: env.KALTURA_MEMBER_APP_TOKEN_ID,
						token: env.KALTURA_MEMBER_APP_TOKEN,
						hashType: env.KALTURA_MEMBER_APP_TOKEN_HASH_TYPE
					}
				},
				{ for: 'members' }
			);
		case 'session-start':
			return new SessionStartKsSource({ ...account, adminSecret: env.KALTURA_ADMIN_SECRET });
		case 'local':
			return new LocalKsSource({ partnerId: account.partnerId, adminSecret: env.KALTURA_ADMIN_SECRET });
	}
}

/** The facade the bot runs on: its own sessions from one source, cached; members' from another, minted per link. */
export function createKalturaFacade(
	account: KalturaAccount,
	env: KalturaSessionEnvironment & {
		readonly KALTURA_APP_TOKEN_HASH_TYPE: AppTokenHashType;
		readonly KALTURA_MEMBER_APP_TOKEN_HASH_TYPE: AppTokenHashType;
	}
): KalturaFacade {
	return new KalturaFacade(account, new SessionCache(createKsSource(account, env)), createMemberKsSource(account, env));
}
