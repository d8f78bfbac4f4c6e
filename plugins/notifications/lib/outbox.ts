import type Database from 'better-sqlite3';
import type { NotificationType } from './normalise.js';

/** Subscriptions (which channel gets which events) and the outbox (one delivery per event and channel). */
export const OUTBOX_SCHEMA = `CREATE TABLE IF NOT EXISTS subscriptions (
	channel_id TEXT PRIMARY KEY,
	guild_id TEXT NOT NULL,
	events TEXT NOT NULL,
	category_id TEXT,
	role_id TEXT,
	enabled INTEGER NOT NULL DEFAULT 1,
	disabled_reason TEXT,
	updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS subscriptions_guild ON subscriptions (guild_id);
CREATE TABLE IF NOT EXISTS outbox (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	event_key TEXT NOT NULL,
	guild_id TEXT NOT NULL,
	channel_id TEXT NOT NULL,
	body TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending',
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	lease_until INTEGER,
	worker TEXT,
	last_error TEXT,
	message_id TEXT,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (event_key, channel_id)
);
CREATE INDEX IF NOT EXISTS outbox_open ON outbox (status, channel_id, id);`;

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

/** One delivery to queue, rendered at fan-out. */
export interface OutboxDraft {
	readonly guildId: string;
	readonly channelId: string;
	/** The REST body of the message (without nonce: that is added per send from the row id). */
	readonly body: Record<string, unknown>;
}

export type OutboxStatus = 'pending' | 'sending' | 'delivered' | 'failed' | 'dead';

export interface OutboxRow {
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
	readonly message_id: string | null;
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

interface SubscriptionRow {
	channel_id: string;
	guild_id: string;
	events: string;
	category_id: string | null;
	role_id: string | null;
	enabled: number;
	disabled_reason: string | null;
}

const toSubscription = (row: SubscriptionRow): Subscription => ({
	guildId: row.guild_id,
	channelId: row.channel_id,
	events: row.events.split(','),
	categoryId: row.category_id,
	roleId: row.role_id,
	enabled: row.enabled === 1,
	disabledReason: row.disabled_reason
});

/** Does a subscription want an event of this type? `unknown` events are never delivered. */
export function wantsType(subscription: Subscription, type: NotificationType): boolean {
	return type !== 'unknown' && (subscription.events.includes(ALL_EVENTS) || subscription.events.includes(type));
}

/** SQL on the subscriptions and outbox tables; synchronous, like better-sqlite3. */
export class OutboxTables {
	readonly #db: Database.Database;

	public constructor(db: Database.Database) {
		this.#db = db;
	}

	public subscribe(input: { guildId: string; channelId: string; events: readonly string[]; categoryId: string | null; roleId: string | null }, now = Date.now()): void {
		this.#db
			.prepare(
				`INSERT INTO subscriptions (channel_id, guild_id, events, category_id, role_id, enabled, disabled_reason, updated_at)
				VALUES (?, ?, ?, ?, ?, 1, NULL, ?)
				ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id, events = excluded.events, category_id = excluded.category_id,
					role_id = excluded.role_id, enabled = 1, disabled_reason = NULL, updated_at = excluded.updated_at`
			)
			.run(input.channelId, input.guildId, input.events.join(','), input.categoryId, input.roleId, now);
	}

	/** True when there was a subscription of that guild for the channel. */
	public unsubscribe(guildId: string, channelId: string): boolean {
		return this.#db.prepare('DELETE FROM subscriptions WHERE guild_id = ? AND channel_id = ?').run(guildId, channelId).changes === 1;
	}

	public subscriptionsOf(guildId: string): Subscription[] {
		return (this.#db.prepare('SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY channel_id').all(guildId) as SubscriptionRow[]).map(toSubscription);
	}

	/** Every enabled subscription that wants this type (category filters are checked by the caller). */
	public enabledSubscriptionsFor(type: NotificationType): Subscription[] {
		return (this.#db.prepare('SELECT * FROM subscriptions WHERE enabled = 1').all() as SubscriptionRow[]).map(toSubscription).filter((subscription) => wantsType(subscription, type));
	}

	public disableSubscription(channelId: string, reason: string, now = Date.now()): void {
		this.#db.prepare('UPDATE subscriptions SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE channel_id = ?').run(reason, now, channelId);
	}

	/** Queues one delivery; a second one for the same (event, channel) is ignored (UNIQUE). Call inside the event's transaction. */
	public enqueue(eventKey: string, draft: OutboxDraft, now: number): void {
		this.#db
			.prepare(
				`INSERT INTO outbox (event_key, guild_id, channel_id, body, status, next_attempt_at, created_at, updated_at)
				VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (event_key, channel_id) DO NOTHING`
			)
			.run(eventKey, draft.guildId, draft.channelId, JSON.stringify(draft.body), now, now, now);
	}

	/** Channels with deliveries still to make (pending, or being sent). */
	public openChannels(): string[] {
		return (this.#db.prepare(`SELECT DISTINCT channel_id FROM outbox WHERE status IN ('pending', 'sending')`).all() as { channel_id: string }[]).map((row) => row.channel_id);
	}

	/**
	 * Claims the oldest open delivery of a channel for `worker` until `leaseUntil`: only if it is pending and due,
	 * or its lease has run out (a worker that died). One UPDATE, so two instances never both win a row; the
	 * channel's later rows wait behind it, which keeps the channel in order.
	 */
	public claimHead(channelId: string, worker: string, now: number, leaseUntil: number): OutboxRow | undefined {
		const claim = this.#db.transaction(() => {
			const head = this.#db.prepare(`SELECT id FROM outbox WHERE channel_id = ? AND status IN ('pending', 'sending') ORDER BY id LIMIT 1`).get(channelId) as { id: number } | undefined;
			if (head === undefined) return undefined;
			const { changes } = this.#db
				.prepare(
					`UPDATE outbox SET status = 'sending', lease_until = ?, worker = ?, updated_at = ?
					WHERE id = ? AND ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until < ?))`
				)
				.run(leaseUntil, worker, now, head.id, now, now);
			return changes === 1 ? (this.#db.prepare('SELECT * FROM outbox WHERE id = ?').get(head.id) as OutboxRow) : undefined;
		});
		return claim.immediate();
	}

	/** The outcome of a send; only the worker holding the lease may record it. */
	public finish(id: number, worker: string, outcome: { status: 'delivered'; messageId: string } | { status: 'pending' | 'dead' | 'failed'; error: string; nextAttemptAt?: number }, now = Date.now()): void {
		if (outcome.status === 'delivered') {
			this.#db
				.prepare(`UPDATE outbox SET status = 'delivered', message_id = ?, attempts = attempts + 1, lease_until = NULL, updated_at = ? WHERE id = ? AND worker = ?`)
				.run(outcome.messageId, now, id, worker);
			return;
		}
		this.#db
			.prepare(`UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?, lease_until = NULL, updated_at = ? WHERE id = ? AND worker = ?`)
			.run(outcome.status, outcome.error.slice(0, 500), outcome.nextAttemptAt ?? now, now, id, worker);
	}

	/** Workers holding leases right now. */
	public leaseHolders(): string[] {
		return (this.#db.prepare(`SELECT DISTINCT worker FROM outbox WHERE status = 'sending' AND worker IS NOT NULL`).all() as { worker: string }[]).map((row) => row.worker);
	}

	/** Hands a worker's leased rows back (it is known to be dead); returns how many. */
	public releaseLeases(worker: string, now = Date.now()): number {
		return this.#db.prepare(`UPDATE outbox SET status = 'pending', lease_until = NULL, updated_at = ? WHERE status = 'sending' AND worker = ?`).run(now, worker).changes;
	}

	/** A guild's newest `limit` deliveries (of these statuses), newest first, with the event's type (bodies left out). Needs the events table of the same file. */
	public recentOf(guildId: string, limit: number, statuses: readonly OutboxStatus[] = ['pending', 'sending', 'delivered', 'failed', 'dead']): DeliverySummary[] {
		return this.#db
			.prepare(
				`SELECT o.id, o.event_key, e.type AS event_type, o.channel_id, o.status, o.attempts, o.last_error, o.created_at, o.updated_at
				FROM outbox o LEFT JOIN events e ON e.key = o.event_key
				WHERE o.guild_id = ? AND o.status IN (SELECT value FROM json_each(?)) ORDER BY o.id DESC LIMIT ?`
			)
			.all(guildId, JSON.stringify(statuses), limit) as DeliverySummary[];
	}

	/** How many deliveries of a guild are in each status. */
	public statusCountsOf(guildId: string): Partial<Record<OutboxStatus, number>> {
		const rows = this.#db.prepare('SELECT status, COUNT(*) AS count FROM outbox WHERE guild_id = ? GROUP BY status').all(guildId) as { status: OutboxStatus; count: number }[];
		return Object.fromEntries(rows.map((row) => [row.status, row.count]));
	}

	/** A guild's newest `limit` failed or dead deliveries, newest first. */
	public failuresOf(guildId: string, limit: number): DeliverySummary[] {
		return this.recentOf(guildId, limit, ['failed', 'dead']);
	}

	/** Every outbox row, oldest first (for tests and diagnostics). */
	public all(): OutboxRow[] {
		return this.#db.prepare('SELECT * FROM outbox ORDER BY id').all() as OutboxRow[];
	}
}
