import type { NotificationType } from './normalise.js';

/** A notification as it is kept: the normalised type, a few indexed fields, and the payload as received. */
export interface NotificationEvent {
	/** What makes a notification unique: `job:<eventNotificationJobId>`, or `sha256:<hex of the body>` without a job id. */
	readonly key: string;
	readonly type: NotificationType;
	readonly eventType: number | null;
	readonly eventObjectType: string | null;
	readonly objectId: string | null;
	readonly partnerId: number | null;
	/** Unix milliseconds. */
	readonly receivedAt: number;
	/** The notification as JSON text (the parsed payload, not the raw, possibly url-encoded body). */
	readonly payload: string;
}

export type InsertResult = 'stored' | 'duplicate';

/**
 * Where received notifications are kept. Implementations must make `insertIfNew` durable before it
 * returns (the webhook answers 200 only then) and idempotent on `key` (Kaltura retries with the same job id).
 * SQLite is the only one so far; a MongoDB one belongs behind the same interface and the same contract test.
 * The methods return promises, although SQLite answers synchronously, so that a networked store fits.
 */
export interface EventStore {
	insertIfNew(event: NotificationEvent): Promise<InsertResult>;
	/** The newest `limit` events, newest first (ties in `receivedAt` broken by insertion order). */
	recent(limit: number): Promise<NotificationEvent[]>;
	/** How many events of each type were stored (types never seen are absent). */
	countsByType(): Promise<Partial<Record<NotificationType, number>>>;
	close(): Promise<void>;
}
