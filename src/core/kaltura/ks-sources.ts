import kaltura from 'kaltura-client';
import { createKalturaClient } from './kaltura-client.js';
import { toKalturaError } from './kaltura-error.js';
import { buildKsV2 } from './ks-v2.js';
import type { KsSource, SessionRequest } from './session-cache.js';

export interface KalturaAccount {
	readonly serviceUrl: string;
	readonly partnerId: number;
	readonly adminSecret: string;
	readonly timeoutMs: number;
}

/** Builds each KS in-process (KS v2): no API call, no round trip, nothing to fail but the clock. */
export class LocalKsSource implements KsSource {
	public constructor(private readonly account: Pick<KalturaAccount, 'partnerId' | 'adminSecret'>) {}

	public mint(request: SessionRequest, expirySeconds: number): Promise<string> {
		return Promise.resolve(buildKsV2({ ...this.account, ...request, expirySeconds }));
	}
}

/** Asks Kaltura for each KS with `session.start` and the admin secret. */
export class SessionStartKsSource implements KsSource {
	public constructor(private readonly account: KalturaAccount) {}

	public async mint(request: SessionRequest, expirySeconds: number): Promise<string> {
		const client = createKalturaClient(this.account);
		try {
			const ks = await kaltura.services.session!.start!(
				this.account.adminSecret,
				request.userId,
				request.type,
				this.account.partnerId,
				expirySeconds,
				request.privileges
			).execute(client);
			if (typeof ks !== 'string') throw new Error('session.start returned no KS');
			return ks;
		} catch (error) {
			throw toKalturaError(error);
		}
	}
}
