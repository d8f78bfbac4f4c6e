import type { RequestBuilder } from 'kaltura-client';
import { createKalturaClient } from './kaltura-client.js';
import { toKalturaError } from './kaltura-error.js';
import type { KalturaAccount } from './ks-sources.js';
import type { SessionCache, SessionRequest } from './session-cache.js';

/**
 * The one way pieces call Kaltura: takes a session description (user, type, privileges), gets a KS
 * for it from the cache, runs the request with a time limit and turns every failure into a
 * {@link KalturaError} with a sentence fit for users. A KS Kaltura refuses is replaced and the call
 * tried once more.
 */
export class KalturaFacade {
	public constructor(
		private readonly account: Omit<KalturaAccount, 'adminSecret'>,
		public readonly sessions: SessionCache
	) {}

	public get partnerId(): number {
		return this.account.partnerId;
	}

	public async call<T>(session: SessionRequest, request: () => RequestBuilder): Promise<T> {
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


