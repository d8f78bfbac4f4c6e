import {
	storedNotificationType,
	type NotificationEvent,
	type OutboxDraft,
	type OutboxRow,
	type InsertResult,
	type Subscription
} from './notification-store.js';

/** Rows as the SQLite notification store's tables hold them (see sqlite-schema.ts), and their contract shapes. */
export interface EventRow {
	key: string;
	type: string;
	event_type: number | null;
	event_object_type: string | null;
	object_id: string | null;
	partner_id: number | null;
	received_at: number;
	payload: string | null;
}

export interface SubscriptionRow {
	channel_id: string;
	guild_id: string;
	events: string;
	category_id: string | null;
	role_id: string | null;
	enabled: number;
	disabled_reason: string | null;
}

export type StoredOutboxRow = Omit<OutboxRow, 'edits_previous'> & { edits_previous: number };

export interface PendingInsert {
	readonly row: EventRow;
	readonly drafts: readonly OutboxDraft[];
	readonly resolve: (result: InsertResult) => void;
	readonly reject: (error: unknown) => void;
}

export const toSubscription = (row: SubscriptionRow): Subscription => ({
	guildId: row.guild_id,
	channelId: row.channel_id,
	events: row.events.split(','),
	categoryId: row.category_id,
	roleId: row.role_id,
	enabled: row.enabled === 1,
	disabledReason: row.disabled_reason
});

export const toEvent = (row: EventRow): NotificationEvent => ({
	key: row.key,
	type: storedNotificationType(row.type),
	eventType: row.event_type,
	eventObjectType: row.event_object_type,
	objectId: row.object_id,
	partnerId: row.partner_id,
	receivedAt: row.received_at,
	payload: row.payload
});

export const toOutboxRow = (row: StoredOutboxRow): OutboxRow => ({ ...row, edits_previous: row.edits_previous === 1 });
