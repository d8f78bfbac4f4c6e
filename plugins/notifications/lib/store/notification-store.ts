import { NOTIFICATION_TYPES, type NotificationType } from '../normalise.js';

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
	/**
	 * The notification as JSON text (the parsed payload, not the raw, possibly url-encoded body); null when no enabled
	 * subscription wanted its type, so that events nobody reads cost a key and a few fields, not their full body.
	 */
	readonly payload: string | null;
}

export type InsertResult = 'stored' | 'duplicate';

/** A stored event's type read back; one this version does not know (a newer version stored it) reads as `unknown`. */
export function storedNotificationType(stored: string): NotificationType {
	return NOTIFICATION_TYPES.find((type) => type === stored) ?? 'unknown';
}

/**
 * How long the key of a received notification is remembered after its body is deleted: longer than the longest
 * NOTIFICATIONS_MAX_EVENT_AGE_DAYS (365) plus a month for clocks and Kaltura's retries. A captured notification sent
 * again later is then refused by its key while that is remembered, and after that as stale (its object last changed
 * longer ago than the maximum age), whatever NOTIFICATIONS_RETENTION_DAYS is.
 */
export const KEY_RETENTION_DAYS = 400;

/** Keys are remembered per day of receipt (Unix days): enough to expire them, and compact. */
export const dayOf = (unixMs: number): number => Math.floor(unixMs / 86_400_000);

/** `*` in `events` means every type but `unknown`. */
export const ALL_EVENTS = '*';

export interface Subscription {
	readonly guildId: string;
	readonly channelId: string;
	/** The types, or `['*']` for all. */
	readonly events: readonly string[];
	readonly categoryId: string | null;
	readonly roleId: string | null;
	readonly enabled: boolean;
	readonly disabledReason: string | null;
}

export interface SubscriptionInput {
	readonly guildId: string;
	readonly channelId: string;
	readonly events: readonly string[];
	readonly categoryId: string | null;
	readonly roleId: string | null;
}

/** Does a subscription want an event of this type? `unknown` events are never delivered. */
export function wantsType(subscription: Subscription, type: NotificationType): boolean {
	return type !== 'unknown' && (subscription.events.includes(ALL_EVENTS) || subscription.events.includes(type));
}

/** One delivery to queue, rendered at fan-out. */
export interface OutboxDraft {
	readonly guildId: string;
	readonly channelId: string;
	/** The REST body of the message (without nonce: that is added per send from the row id). */
	readonly body: Record<string, unknown>;
	/**
	 * What the message is about across events (`live:<entryId>`, `meeting:<eventId>`), so that a later event
	 * about the same thing can edit it; null when no later event does.
	 */
	readonly subject?: string | null;
	/** Edit the channel's latest delivered message of the same subject instead of posting anew (when there is one). */
	readonly editsPrevious?: boolean;
}

export type OutboxStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'dead';

export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'delivered', 'failed', 'dead'];

/** One delivery: an (event, channel) pair. Field names are the SQLite columns'. */
export interface OutboxRow {
	/** Increasing in the order rows were queued: a channel is sent in this order. */
	readonly id: number;
	readonly event_key: string;
	readonly guild_id: string;
	readonly channel_id: string;
	readonly body: string;
	readonly status: OutboxStatus;
	readonly attempts: number;
	readonly next_attempt_at: number;
	readonly lease_until: number | null;
	readonly worker: string | null;
	readonly last_error: string | null;
	/** The posted (or edited) message, once delivered. */
	readonly message_id: string | null;
	readonly subject: string | null;
	readonly edits_previous: boolean;
	/**
	 * How many times the row was claimed for a send, this claim included. Above 1, an earlier send may have
	 * reached Discord without its outcome being recorded (the lease ran out, the answer never came, the
	 * process died), so the worker looks for that earlier post before posting.
	 */
	readonly claims: number;
	/** When the row was first claimed (Unix ms): no earlier post of it can be older. Null before the first claim. */
	readonly first_claimed_at: number | null;
	/** When the row was queued (Unix ms): its event's `receivedAt`, which is what the delivery lag is measured from. */
	readonly created_at: number;
}

/** An outbox row as the status command and the API show it. */
export interface DeliverySummary {
	readonly id: number;
	readonly event_key: string;
	readonly event_type: string | null;
	readonly channel_id: string;
	readonly status: OutboxStatus;
	readonly attempts: number;
	readonly last_error: string | null;
	readonly created_at: number;
	readonly updated_at: number;
}

export interface PruneResult {
	readonly events: number;
	readonly deliveries: number;
}

/** How a send ended, as the worker records it. */
export type DeliveryOutcome =
	| { readonly status: 'delivered'; readonly messageId: string }
	| { readonly status: 'pending' | 'dead' | 'failed'; readonly error: string; readonly nextAttemptAt?: number };

/**
 * Where the notifications plugin keeps its documents: received events, subscriptions, and the outbox (one
 * delivery per event and channel). One contract, two implementations: an embedded SQLite file (the default)
 * and MongoDB (when `MONGODB_URL` is set, for several bot processes on several machines).
 *
 * What every implementation guarantees:
 * - `insertIfNew` is durable before it resolves (the webhook answers 200 only then), idempotent on the
 *   event's key (Kaltura retries with the same job id), and queues the event's deliveries only when the
 *   event is new; an acknowledged event always has its deliveries queued.
 * - Outbox rows are unique per (event, channel) and numbered in the order they were queued.
 * - `claimHead` hands a channel's oldest open row to one worker at a time (a lease), whatever the number
 *   of processes; the channel's later rows wait behind it, which keeps the channel in order.
 */
export interface NotificationStore {
	/** `sqlite` or `mongodb`, for logs and `/notifications status`. */
	readonly kind: 'sqlite' | 'mongodb';

	/**
	 * Stores the event if its key is new (never seen, however long ago its body was deleted, within
	 * KEY_RETENTION_DAYS) and, only then, queues `outbox`; the key is remembered with it.
	 */
	insertIfNew(event: NotificationEvent, outbox?: readonly OutboxDraft[]): Promise<InsertResult>;
	/** The newest `limit` events, newest first (ties in `receivedAt` broken by insertion order). */
	recent(limit: number): Promise<NotificationEvent[]>;
	/** How many events of each type were stored (types never seen are absent). */
	countsByType(): Promise<Partial<Record<NotificationType, number>>>;

	/** Creates or replaces the channel's subscription, enabled; the subscription it replaced, or null when there was none. */
	subscribe(input: SubscriptionInput, now?: number): Promise<Subscription | null>;
	/** True when there was a subscription of that guild for the channel. */
	unsubscribe(guildId: string, channelId: string): Promise<boolean>;
	/** A guild's subscriptions, by channel id. */
	subscriptionsOf(guildId: string): Promise<Subscription[]>;
	/** Every enabled subscription that wants this type (category filters are checked by the caller). */
	enabledSubscriptionsFor(type: NotificationType): Promise<Subscription[]>;
	/** Pauses a channel's subscription (the channel is gone, or the bot may not post there); true when it was enabled until now. */
	disableSubscription(channelId: string, reason: string, now?: number): Promise<boolean>;

	/** Channels with deliveries still to make (pending, or being sent). */
	openChannels(): Promise<string[]>;
	/**
	 * Claims the oldest open delivery of a channel for `worker` until `leaseUntil`: only if it is pending and
	 * due, or its lease has run out (a worker that died). Counts the claim in `claims` and sets
	 * `first_claimed_at` on the first.
	 */
	claimHead(channelId: string, worker: string, now: number, leaseUntil: number): Promise<OutboxRow | undefined>;
	/** Records the outcome of a send; only the worker holding the lease may. */
	finish(id: number, worker: string, outcome: DeliveryOutcome, now?: number): Promise<void>;
	/** The message of the channel's latest delivered row about `subject` queued before row `beforeId`. */
	previousMessageOf(channelId: string, subject: string, beforeId: number): Promise<string | null>;
	/** Workers holding leases right now. */
	leaseHolders(): Promise<string[]>;
	/** Hands a worker's leased rows back (it is known to be dead); returns how many. */
	releaseLeases(worker: string, now?: number): Promise<number>;

	/** A guild's newest `limit` deliveries (of these statuses), newest first, with the event's type (bodies left out). */
	deliveriesOf(guildId: string, limit: number, statuses?: readonly OutboxStatus[]): Promise<DeliverySummary[]>;
	/** How many deliveries of a guild are in each status. */
	statusCountsOf(guildId: string): Promise<Partial<Record<OutboxStatus, number>>>;
	/** How many deliveries of every guild are in each status (statuses with none are absent). */
	statusCounts(): Promise<Partial<Record<OutboxStatus, number>>>;
	/** Every outbox row, oldest first (for tests and diagnostics). */
	allDeliveries(): Promise<OutboxRow[]>;

	/**
	 * Deletes finished deliveries (delivered, failed, dead) last changed before `before`, then events received
	 * before it that have no delivery left. Open deliveries, and so their events, are kept whatever their age.
	 */
	prune(before: number): Promise<PruneResult>;
	/** Forgets the keys of notifications received before `before` (their events are long gone); returns how many. */
	forgetKeys(before: number): Promise<number>;

	close(): Promise<void>;
}
