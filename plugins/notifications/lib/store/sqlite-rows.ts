import { type NotificationEvent, type OutboxDraft, type OutboxRow, type InsertResult, type Subscription } from './notification-store.js';
import { eventFromStored, type StoredEventFields } from './stored-event.js';

/** Rows as the SQLite notification store's tables hold them (see sqlite-schema.ts), and their contract shapes. */
export interface EventRow extends StoredEventFields {
	key: string;
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

export const toEvent = (row: EventRow): NotificationEvent => eventFromStored(row.key, row);

export const toOutboxRow = (row: StoredOutboxRow): OutboxRow => ({ ...row, edits_previous: row.edits_previous === 1 });
