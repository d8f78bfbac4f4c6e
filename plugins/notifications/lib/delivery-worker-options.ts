import type { EarlierPostSearch } from './earlier-post.js';

/** How a delivery worker paces, retries and recognises a refused token. */
export interface DeliveryWorkerOptions {
	/** How often the outbox is looked at besides the wake-ups the webhook gives (ms). */
	readonly pollMs?: number;
	/** How long a claimed row is this worker's; after that another worker may send it again (with the same nonce). */
	readonly leaseMs?: number;
	/** Sends (transient failures included) before a row is marked dead. */
	readonly maxAttempts?: number;
	/** Wait before the next attempt after `attempts` failed ones (ms). */
	readonly backoffMs?: (attempts: number) => number;
	/**
	 * Whether Discord has refused the bot token (the process-wide answer; by default the core's watch of the
	 * client). Sends that fail while it is true are the token's fault, not the row's.
	 */
	readonly tokenRefused?: () => boolean;
	/** How far back, and how many pages, a resend looks for its earlier post. */
	readonly earlierPost?: EarlierPostSearch;
}
