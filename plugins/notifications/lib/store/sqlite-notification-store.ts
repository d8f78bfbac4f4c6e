import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { NotificationType } from '../normalise.js';
import {
	dayOf,
	OUTBOX_STATUSES,
	storedNotificationType,
	type DeliveryOutcome,
	type DeliverySummary,
	type InsertResult,
	type NotificationEvent,
	type NotificationStore,
	type OutboxDraft,
	type OutboxRow,
	type OutboxStatus,
	type PruneResult,
	type Subscription,
	type SubscriptionInput
} from './notification-store.js';
import { SqliteOutbox } from './sqlite-outbox.js';
import { toEvent, type EventRow, type PendingInsert } from './sqlite-rows.js';
import { migrateSqliteSchema } from './sqlite-schema.js';
import { storedFieldsOf } from './stored-event.js';
import { SqliteSubscriptions } from './sqlite-subscriptions.js';

/** Rows deleted per transaction when pruning. */
const PRUNE_BATCH = 1_000;

/**
 * The notification store in an embedded SQLite file (`<DATA_DIR>/notifications.sqlite`), in WAL mode with
 * `synchronous = FULL` so a committed insert survives a crash. Events, subscriptions and the outbox share
 * the file, so an event and its deliveries commit in one transaction. better-sqlite3 answers synchronously;
 * the methods return promises only to share the contract with networked stores. Events are kept here; the
 * subscriptions (sqlite-subscriptions.ts) and the outbox (sqlite-outbox.ts) share this connection.
 */
export class SqliteNotificationStore implements NotificationStore {
	public readonly kind = 'sqlite';
	readonly #db: Database.Database;
	readonly #statements;
	readonly #subscriptions: SqliteSubscriptions;
	readonly #outbox: SqliteOutbox;
	readonly #insertBatch: (batch: readonly PendingInsert[]) => number[];
	/** Inserts waiting for the next group commit. */
	#pending: PendingInsert[] = [];

	public constructor(file: string) {
		if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		this.#db = new Database(file);
		this.#db.pragma('journal_mode = WAL');
		this.#db.pragma('synchronous = FULL');
		this.#db.pragma('busy_timeout = 5000');
		migrateSqliteSchema(this.#db);
		const db = this.#db;
		this.#subscriptions = new SqliteSubscriptions(db);
		this.#outbox = new SqliteOutbox(db);
		this.#statements = {
			rememberKey: db.prepare<[string, number]>('INSERT INTO seen_keys (key, day) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
			insertEvent: db.prepare<
				[EventRow]
			>(`INSERT INTO events (key, type, event_type, event_object_type, object_id, partner_id, received_at, payload)
				VALUES (@key, @type, @event_type, @event_object_type, @object_id, @partner_id, @received_at, @payload)
				ON CONFLICT (key) DO NOTHING`),
			recent: db.prepare<[number], EventRow>('SELECT * FROM events ORDER BY received_at DESC, seq DESC LIMIT ?'),
			counts: db.prepare<[], { type: string; count: number }>('SELECT type, COUNT(*) AS count FROM events GROUP BY type')
		};
		// Each event and its outbox rows commit together: an acknowledged event always has its deliveries queued.
		// Events that arrive together share one transaction, and so one fsync: with synchronous = FULL the
		// sync, not the insert, is what a webhook waits for.
		this.#insertBatch = db.transaction((batch: readonly PendingInsert[]) =>
			batch.map(({ row, drafts }) => {
				// The remembered key decides, so a notification whose event was pruned is still a duplicate.
				if (this.#statements.rememberKey.run(row.key, dayOf(row.received_at)).changes === 0) return 0;
				const { changes } = this.#statements.insertEvent.run(row);
				if (changes === 1) for (const draft of drafts) this.#outbox.enqueue(row.key, draft, row.received_at);
				return changes;
			})
		);
	}

	public insertIfNew(event: NotificationEvent, outbox: readonly OutboxDraft[] = []): Promise<InsertResult> {
		return new Promise((resolve, reject) => {
			const row: EventRow = { key: event.key, ...storedFieldsOf(event) };
			this.#pending.push({ row, drafts: outbox, resolve, reject });
			if (this.#pending.length === 1) setImmediate(() => this.#commitPending());
		});
	}

	/** Commits every waiting insert in one transaction and answers each; a failure fails them all (Kaltura sends them again). */
	#commitPending(): void {
		const batch = this.#pending;
		this.#pending = [];
		if (batch.length === 0) return;
		try {
			const changes = this.#insertBatch(batch);
			batch.forEach((pending, index) => pending.resolve(changes[index] === 1 ? 'stored' : 'duplicate'));
		} catch (error) {
			for (const pending of batch) pending.reject(error);
		}
	}

	public recent(limit: number): Promise<NotificationEvent[]> {
		return Promise.resolve(this.#statements.recent.all(Math.max(0, Math.floor(limit))).map(toEvent));
	}

	public countsByType(): Promise<Partial<Record<NotificationType, number>>> {
		const counts: Partial<Record<NotificationType, number>> = {};
		for (const row of this.#statements.counts.all()) {
			const type = storedNotificationType(row.type);
			counts[type] = (counts[type] ?? 0) + row.count;
		}
		return Promise.resolve(counts);
	}

	public subscribe(input: SubscriptionInput, now = Date.now()): Promise<Subscription | null> {
		return Promise.resolve(this.#subscriptions.subscribe(input, now));
	}

	public unsubscribe(guildId: string, channelId: string): Promise<boolean> {
		return Promise.resolve(this.#subscriptions.unsubscribe(guildId, channelId));
	}

	public subscriptionsOf(guildId: string): Promise<Subscription[]> {
		return Promise.resolve(this.#subscriptions.subscriptionsOf(guildId));
	}

	public enabledSubscriptionsFor(type: NotificationType): Promise<Subscription[]> {
		return Promise.resolve(this.#subscriptions.enabledSubscriptionsFor(type));
	}

	public disableSubscription(channelId: string, reason: string, now = Date.now()): Promise<boolean> {
		return Promise.resolve(this.#subscriptions.disableSubscription(channelId, reason, now));
	}

	public openChannels(): Promise<string[]> {
		return Promise.resolve(this.#outbox.openChannels());
	}

	public claimHead(channelId: string, worker: string, now: number, leaseUntil: number): Promise<OutboxRow | undefined> {
		return Promise.resolve(this.#outbox.claimHead(channelId, worker, now, leaseUntil));
	}

	public finish(id: number, worker: string, outcome: DeliveryOutcome, now = Date.now()): Promise<void> {
		this.#outbox.finish(id, worker, outcome, now);
		return Promise.resolve();
	}

	public previousMessageOf(channelId: string, subject: string, beforeId: number): Promise<string | null> {
		return Promise.resolve(this.#outbox.previousMessageOf(channelId, subject, beforeId));
	}

	public leaseHolders(): Promise<string[]> {
		return Promise.resolve(this.#outbox.leaseHolders());
	}

	public releaseLeases(worker: string, now = Date.now()): Promise<number> {
		return Promise.resolve(this.#outbox.releaseLeases(worker, now));
	}

	public deliveriesOf(guildId: string, limit: number, statuses: readonly OutboxStatus[] = OUTBOX_STATUSES): Promise<DeliverySummary[]> {
		return Promise.resolve(this.#outbox.deliveriesOf(guildId, limit, statuses));
	}

	public statusCountsOf(guildId: string): Promise<Partial<Record<OutboxStatus, number>>> {
		return Promise.resolve(this.#outbox.statusCountsOf(guildId));
	}

	public statusCounts(): Promise<Partial<Record<OutboxStatus, number>>> {
		return Promise.resolve(this.#outbox.statusCounts());
	}

	public allDeliveries(): Promise<OutboxRow[]> {
		return Promise.resolve(this.#outbox.allDeliveries());
	}

	/**
	 * In batches, each its own short transaction with a turn of the event loop in between: a first sweep after
	 * months without one must not hold the process, or the file's write lock, for long.
	 */
	public async prune(before: number): Promise<PruneResult> {
		const deliveries = await this.#deleteInBatches(
			this.#db.prepare<[number, number]>(
				`DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status IN ('delivered', 'failed', 'dead') AND updated_at < ? LIMIT ?)`
			),
			before
		);
		const events = await this.#deleteInBatches(
			this.#db.prepare<[number, number]>(
				'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE received_at < ? AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.event_key = events.key) LIMIT ?)'
			),
			before
		);
		return { events, deliveries };
	}

	public forgetKeys(before: number): Promise<number> {
		return this.#deleteInBatches(
			this.#db.prepare<[number, number]>('DELETE FROM seen_keys WHERE key IN (SELECT key FROM seen_keys WHERE day < ? LIMIT ?)'),
			dayOf(before)
		);
	}

	async #deleteInBatches(statement: Database.Statement<[number, number]>, before: number): Promise<number> {
		let deleted = 0;
		for (;;) {
			if (!this.#db.open) return deleted;
			const { changes } = statement.run(before, PRUNE_BATCH);
			deleted += changes;
			if (changes < PRUNE_BATCH) return deleted;
			await new Promise((resume) => setImmediate(resume));
		}
	}

	public close(): Promise<void> {
		if (this.#db.open && this.#pending.length > 0) this.#commitPending();
		if (this.#db.open) this.#db.close();
		return Promise.resolve();
	}
}
