import type { RequestBuilder } from 'kaltura-client';
import { createKalturaClient } from './kaltura-client.js';
import { toKalturaError } from './kaltura-error.js';
import type { KalturaAccount } from './ks-sources.js';
import { KalturaSessionType } from './ks-v2.js';
import type { SessionCache, SessionRequest } from './session-cache.js';

/** A session acting as one Kaltura user; the type is always USER, so a piece cannot ask for more by accident. */
export interface UserSession {
	readonly userId: string;
	/** Only what the call needs, e.g. `list:*` or `eventId:12,role:viewerRole`. */
	readonly privileges: string;
}

/** The Kaltura user the bot's own administrative calls are attributed to. */
export const BOT_KALTURA_USER_ID = 'kaltura-discord-bot';

/**
 * The one way pieces call Kaltura: takes a session description (user, type, privileges), gets a KS
 * for it from the cache, runs the request with a time limit and turns every failure into a
 * {@link KalturaError} with a sentence fit for users. A KS Kaltura refuses is replaced and the call
 * tried once more.
 */
export class KalturaFacade {
	public constructor(
		private readonly account: KalturaAccount,
		public readonly sessions: SessionCache
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
	 * users, cloning notification templates). The session still carries only the privileges given.
	 */
	public admin<T>(privileges: string, request: () => RequestBuilder): Promise<T> {
		return this.#run<T>({ userId: BOT_KALTURA_USER_ID, type: KalturaSessionType.Admin, privileges }, request);
	}

	/** A KS for a member to use outside the bot (a join link), built or fetched like every other and cached alike. */
	public userKs(session: UserSession): Promise<string> {
		return this.sessions.get({ ...session, type: KalturaSessionType.User });
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


