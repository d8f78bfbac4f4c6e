import type { ObjectId, WriteConcernSettings } from 'mongodb';
import { eventFromStored, type StoredEventFields } from './stored-event.js';
import { type NotificationEvent, type OutboxRow, type OutboxStatus, type Subscription } from './notification-store.js';

/** Documents as the MongoDB notification store's collections hold them, and their contract shapes. */
export interface EventDocument extends StoredEventFields {
	/** The event's key. */
	_id: string;
	/** Insertion order, for ties in `received_at` (ObjectIds increase within a process). */
	order: ObjectId;
}

export interface SeenKeyDocument {
	/** The event's key. */
	_id: string;
	/** Unix day it was received. */
	day: number;
}

export interface SubscriptionDocument {
	/** The channel id: one subscription per channel. */
	_id: string;
	guild_id: string;
	events: string[];
	category_id: string | null;
	role_id: string | null;
	enabled: boolean;
	disabled_reason: string | null;
	updated_at: number;
}

export interface OutboxDocument {
	/** The row id, from the `outbox` counter. */
	_id: number;
	event_key: string;
	/** Kept on the row (no joins in MongoDB) for the status listings. */
	event_type: string;
	guild_id: string;
	channel_id: string;
	body: string;
	subject: string | null;
	edits_previous: boolean;
	status: OutboxStatus;
	attempts: number;
	next_attempt_at: number;
	lease_until: number | null;
	worker: string | null;
	last_error: string | null;
	message_id: string | null;
	/** Absent on rows written before claims were counted: such a row counts as claimed once already. */
	claims?: number;
	first_claimed_at?: number | null;
	created_at: number;
	updated_at: number;
}

export interface CounterDocument {
	_id: string;
	value: number;
}

/** Documents deleted per request when pruning. */
export const PRUNE_BATCH = 1_000;

/**
 * Acknowledged by a majority and journaled: what the webhook's 200 promises. With a time limit, since a replica
 * set that has lost its majority would otherwise hold every write (and every webhook) forever; a write that
 * times out is answered 503, and Kaltura sends the notification again.
 */
export const DURABLE: WriteConcernSettings = { w: 'majority', journal: true, wtimeoutMS: 5_000 };

export function toEvent(document: EventDocument): NotificationEvent {
	return eventFromStored(document._id, document);
}

export function toSubscription(document: SubscriptionDocument): Subscription {
	return {
		guildId: document.guild_id,
		channelId: document._id,
		events: document.events,
		categoryId: document.category_id,
		roleId: document.role_id,
		enabled: document.enabled,
		disabledReason: document.disabled_reason
	};
}

export function toOutboxRow(document: OutboxDocument): OutboxRow {
	return {
		id: document._id,
		event_key: document.event_key,
		guild_id: document.guild_id,
		channel_id: document.channel_id,
		body: document.body,
		status: document.status,
		attempts: document.attempts,
		next_attempt_at: document.next_attempt_at,
		lease_until: document.lease_until,
		worker: document.worker,
		last_error: document.last_error,
		message_id: document.message_id,
		subject: document.subject,
		edits_previous: document.edits_previous,
		claims: document.claims ?? 1,
		first_claimed_at: document.first_claimed_at ?? (document.claims === undefined ? document.created_at : null),
		created_at: document.created_at
	};
}
