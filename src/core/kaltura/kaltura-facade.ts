import type { RequestBuilder } from 'kaltura-client';
import { createKalturaClient } from './kaltura-client.js';
import { toKalturaError } from './kaltura-error.js';
import type { KalturaAccount } from './ks-sources.js';
import { KalturaSessionType } from './ks-v2.js';
import type { KsSource, SessionCache, SessionRequest } from './session-cache.js';

/** A session acting as one Kaltura user; the type is always USER, so a piece cannot ask for more by accident. */
export interface UserSession {
	readonly userId: string;
	/** Only what the call needs, e.g. `list:*` or `eventId:12,role:viewerRole`. */
	readonly privileges: string;
}

/** One Kaltura API action as kaltura-client sends it: service id and action, `user.get`, `schedule_scheduleevent.list`. */
export type KalturaAction = `${string}.${string}`;

/**
 * What an administrative call needs and why. The ADMIN session made for it may reach these actions and
 * no others: it carries `urirestrict` with their API paths, which Kaltura enforces on every call
 * (kSessionBase::isValidUriRestrict), so a session made to read users cannot delete one.
 */
export interface AdminScope {
	/** At least one: the actions the session may call. */
	readonly actions: readonly [KalturaAction, ...KalturaAction[]];
	/** Why these actions need an ADMIN session rather than a member's USER one. */
	readonly why: string;
}

/** Bounds of a KS handed to a member: long enough to get into the room, never past a day (Kaltura's own default). */
export const MEMBER_KS_MIN_SECONDS = 5 * 60;
export const MEMBER_KS_MAX_SECONDS = 24 * 60 * 60;

/** The Kaltura user the bot's own administrative calls are attributed to. */
export const BOT_KALTURA_USER_ID = 'kaltura-discord-bot';

/** The path kaltura-client posts an action to, and the one Kaltura compares `urirestrict` with (REQUEST_URI). */
function apiPathOf(action: KalturaAction, basePath: string): string {
	const separator = action.indexOf('.');
	return `${basePath}/api_v3/service/${action.slice(0, separator)}/action/${action.slice(separator + 1)}`;
}

/** The `service.action` a kaltura-client request will be sent to. */
function actionOf(request: RequestBuilder): string {
	const { service, action } = request as unknown as { service?: unknown; action?: unknown };
	return `${String(service)}.${String(action)}`;
}

/**
 * The privileges of an ADMIN session for a scope; refuses a scope that names nothing. `serviceUrl` is the
 * API base the calls go to: a path in it (`https://proxy.example/kaltura`) is part of the URI Kaltura sees.
 */
export function adminPrivileges(scope: AdminScope, serviceUrl = ''): string {
	const { actions, why } = (typeof scope === 'object' && scope !== null ? scope : {}) as { actions?: unknown; why?: unknown };
	const named = Array.isArray(actions) && actions.length > 0 && actions.every((action) => typeof action === 'string' && /^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/.test(action));
	if (!named || typeof why !== 'string' || why.trim() === '') {
		throw new TypeError('An admin Kaltura call must name the actions it needs (service.action) and why.');
	}
	const basePath = serviceUrl === '' ? '' : new URL(serviceUrl).pathname.replace(/\/+$/, '');
	return `urirestrict:${scope.actions.map((action) => apiPathOf(action, basePath)).join('|')}`;
}

/**
 * The one way pieces call Kaltura: takes a session description (user, type, privileges), gets a KS
 * for it from the cache, runs the request with a time limit and turns every failure into a
 * {@link KalturaError} with a sentence fit for users. A KS Kaltura refuses is replaced and the call
 * tried once more.
 *
 * The bot's own sessions (cached) and the KS it hands to members (minted for each link) come from two
 * sources (with app tokens, two tokens): a member holding their KS can end it with `session.end`, and
 * that must never end the bot's.
 */
export class KalturaFacade {
	public constructor(
		private readonly account: KalturaAccount,
		public readonly sessions: SessionCache,
		/** Where members' KS (join links) come from; a facade without it (the command-line tools) hands out none. */
		private readonly memberSource?: KsSource
	) {}

	public get partnerId(): number {
		return this.account.partnerId;
	}

	/** Runs a request with a USER session: the default for everything a member does. */
	public call<T>(session: UserSession, request: () => RequestBuilder): Promise<T> {
		return this.#run<T>({ ...session, type: KalturaSessionType.User }, request);
	}

	/**
	 * Runs a request with an ADMIN session, for the few calls Kaltura allows only to admins (managing
	 * users, scheduling meetings, cloning notification templates). The session may reach only the
	 * actions of its scope; a request outside it is refused before anything is sent.
	 */
	public async admin<T>(scope: AdminScope, request: () => RequestBuilder): Promise<T> {
		const privileges = adminPrivileges(scope, this.account.serviceUrl);
		const target = actionOf(request());
		if (!(scope.actions as readonly string[]).includes(target)) throw new TypeError(`The admin Kaltura call ${target} is outside the scope it was given.`);
		return this.#run<T>({ userId: BOT_KALTURA_USER_ID, type: KalturaSessionType.Admin, privileges }, request);
	}

	/**
	 * A KS for a member to use outside the bot (a join link): a USER session from the members' source,
	 * valid for `lifetimeSeconds` from now (5 minutes to 24 hours). Minted anew for every link, never
	 * taken from a cache: an older one may have less life left than asked, or have been ended by its
	 * holder (`session.end`), and two links never share a KS.
	 */
	public async userKs(session: UserSession, lifetimeSeconds: number): Promise<string> {
		if (this.memberSource === undefined) throw new Error('This Kaltura facade hands out no sessions to members.');
		if (!(lifetimeSeconds >= MEMBER_KS_MIN_SECONDS && lifetimeSeconds <= MEMBER_KS_MAX_SECONDS)) {
			throw new RangeError(`A member's Kaltura session lives ${MEMBER_KS_MIN_SECONDS} to ${MEMBER_KS_MAX_SECONDS} seconds.`);
		}
		try {
			return (await this.memberSource.mint({ ...session, type: KalturaSessionType.User }, Math.ceil(lifetimeSeconds))).ks;
		} catch (error) {
			throw toKalturaError(error);
		}
	}

	async #run<T>(session: SessionRequest, request: () => RequestBuilder): Promise<T> {
		try {
			return await this.#attempt<T>(session, request);
		} catch (error) {
			const failure = toKalturaError(error);
			if (failure.code !== 'INVALID_KS') throw failure;
			this.sessions.invalidate(session);
			try {
				return await this.#attempt<T>(session, request);
			} catch (retryError) {
				throw toKalturaError(retryError);
			}
		}
	}

	async #attempt<T>(session: SessionRequest, request: () => RequestBuilder): Promise<T> {
		const ks = await this.sessions.get(session);
		const client = createKalturaClient(this.account);
		client.setKs(ks);
		return (await request().execute(client)) as T;
	}
}
