import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { NotificationType } from '../normalise.js';
import {
	dayOf,
	OUTBOX_STATUSES,
	wantsType,
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
import { migrateSqliteSchema } from './sqlite-schema.js';

/** Rows deleted per transaction when pruning. */
const PRUNE_BATCH = 1_000;

interface EventRow {
	key: string;
	type: string;
	event_type: number | null;
	event_object_type: string | null;
	object_id: string | null;
	partner_id: number | null;
	received_at: number;
	payload: string | null;
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

type StoredOutboxRow = Omit<OutboxRow, 'edits_previous'> & { edits_previous: number };

interface PendingInsert {
	readonly row: EventRow;
	readonly drafts: readonly OutboxDraft[];
	readonly resolve: (result: InsertResult) => void;
	readonly reject: (error: unknown) => void;
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

const toEvent = (row: EventRow): NotificationEvent => ({
	key: row.key,
	type: row.type as NotificationType,
	eventType: row.event_type,
	eventObjectType: row.event_object_type,
	objectId: row.object_id,
	partnerId: row.partner_id,
	receivedAt: row.received_at,
	payload: row.payload
});

const toOutboxRow = (row: StoredOutboxRow): OutboxRow => ({ ...row, edits_previous: row.edits_previous === 1 });

/**
 * The notification store in an embedded SQLite file (`<DATA_DIR>/notifications.sqlite`), in WAL mode with
 * `synchronous = FULL` so a committed insert survives a crash. Events, subscriptions and the outbox share
 * the file, so an event and its deliveries commit in one transaction. better-sqlite3 answers synchronously;
 * the methods return promises only to share the contract with networked stores.
 */
export class SqliteNotificationStore implements NotificationStore {
	public readonly kind = 'sqlite';
	readonly #db: Database.Database;
	readonly #statements;
	readonly #insertBatch: (batch: readonly PendingInsert[]) => number[];
	readonly #claim: (channelId: string, worker: string, now: number, leaseUntil: number) => StoredOutboxRow | undefined;
	/** Inserts waiting for the next group commit. */
	#pending: PendingInsert[] = [];
	/**
	 * Enabled subscriptions, read once and kept until they change: every webhook needs them. Writes through
	 * this connection drop the copy; writes by another process on the same file are seen through
	 * `PRAGMA data_version`, which changes when another connection commits.
	 */
	#enabled: { readonly dataVersion: number; readonly subscriptions: readonly Subscription[] } | undefined;

	public constructor(file: string) {
		if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		this.#db = new Database(file);
		this.#db.pragma('journal_mode = WAL');
		this.#db.pragma('synchronous = FULL');
		this.#db.pragma('busy_timeout = 5000');
		migrateSqliteSchema(this.#db);
		const db = this.#db;
		this.#statements = {
			rememberKey: db.prepare<[string, number]>('INSERT INTO seen_keys (key, day) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
			insertEvent: db.prepare<
				[EventRow]
			>(`INSERT INTO events (key, type, event_type, event_object_type, object_id, partner_id, received_at, payload)
				VALUES (@key, @type, @event_type, @event_object_type, @object_id, @partner_id, @received_at, @payload)
				ON CONFLICT (key) DO NOTHING`),
			enqueue: db.prepare<[string, string, string, string, string | null, number, number, number, number]>(
				`INSERT INTO outbox (event_key, guild_id, channel_id, body, subject, edits_previous, status, next_attempt_at, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (event_key, channel_id) DO NOTHING`
			),
			recent: db.prepare<[number], EventRow>('SELECT * FROM events ORDER BY received_at DESC, seq DESC LIMIT ?'),
			counts: db.prepare<[], { type: string; count: number }>('SELECT type, COUNT(*) AS count FROM events GROUP BY type'),
			enabledSubscriptions: db.prepare<[], SubscriptionRow>('SELECT * FROM subscriptions WHERE enabled = 1'),
			openChannels: db.prepare<[], { channel_id: string }>(`SELECT DISTINCT channel_id FROM outbox WHERE status IN ('pending', 'sending')`),
			head: db.prepare<[string], { id: number }>(
				`SELECT id FROM outbox WHERE channel_id = ? AND status IN ('pending', 'sending') ORDER BY id LIMIT 1`
			),
			claim: db.prepare<[number, string, number, number, number, number, number]>(
				`UPDATE outbox SET status = 'sending', lease_until = ?, worker = ?, updated_at = ?, claims = claims + 1, first_claimed_at = COALESCE(first_claimed_at, ?)
				WHERE id = ? AND ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until < ?))`
			),
			row: db.prepare<[number], StoredOutboxRow>('SELECT * FROM outbox WHERE id = ?'),
			delivered: db.prepare<[string, number, number, string]>(
				`UPDATE outbox SET status = 'delivered', message_id = ?, attempts = attempts + 1, lease_until = NULL, updated_at = ? WHERE id = ? AND worker = ?`
			),
			notDelivered: db.prepare<[OutboxStatus, string, number, number, number, string]>(
				`UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?, lease_until = NULL, updated_at = ? WHERE id = ? AND worker = ?`
			),
			previousMessage: db.prepare<[string, string, number], { message_id: string }>(
				`SELECT message_id FROM outbox WHERE channel_id = ? AND subject = ? AND id < ? AND status = 'delivered' AND message_id IS NOT NULL ORDER BY id DESC LIMIT 1`
			),
			dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck()
		};
		// Each event and its outbox rows commit together: an acknowledged event always has its deliveries queued.
		// Events that arrive together share one transaction, and so one fsync: with synchronous = FULL the
		// sync, not the insert, is what a webhook waits for.
		this.#insertBatch = db.transaction((batch: readonly PendingInsert[]) =>
			batch.map(({ row, drafts }) => {
				// The remembered key decides, so a notification whose event was pruned is still a duplicate.
				if (this.#statements.rememberKey.run(row.key, dayOf(row.received_at)).changes === 0) return 0;
				const { changes } = this.#statements.insertEvent.run(row);
				if (changes === 1) for (const draft of drafts) this.#enqueue(row.key, draft, row.received_at);
				return changes;
			})
		);
		// One write transaction (IMMEDIATE), so two processes never both win a row.
		const claim = db.transaction((channelId: string, worker: string, now: number, leaseUntil: number) => {
			const head = this.#statements.head.get(channelId);
			if (head === undefined) return undefined;
			const { changes } = this.#statements.claim.run(leaseUntil, worker, now, now, head.id, now, now);
			return changes === 1 ? this.#statements.row.get(head.id) : undefined;
		});
		this.#claim = (...args) => claim.immediate(...args);
	}

	#enqueue(eventKey: string, draft: OutboxDraft, now: number): void {
		this.#statements.enqueue.run(
			eventKey,
			draft.guildId,
			draft.channelId,
			JSON.stringify(draft.body),
			draft.subject ?? null,
			draft.editsPrevious === true ? 1 : 0,
			now,
			now,
			now
		);
	}

	public insertIfNew(event: NotificationEvent, outbox: readonly OutboxDraft[] = []): Promise<InsertResult> {
		return new Promise((resolve, reject) => {
			const row: EventRow = {
				key: event.key,
				type: event.type,
				event_type: event.eventType,
				event_object_type: event.eventObjectType,
				object_id: event.objectId,
				partner_id: event.partnerId,
				received_at: event.receivedAt,
				payload: event.payload
			};
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
		for (const row of this.#statements.counts.all()) counts[row.type as NotificationType] = row.count;
		return Promise.resolve(counts);
	}

	public subscribe(input: SubscriptionInput, now = Date.now()): Promise<Subscription | null> {
		// Read and write in one transaction, so the subscription reported as replaced is the one that was.
		const replace = this.#db.transaction(() => {
			const previous = this.#db.prepare('SELECT * FROM subscriptions WHERE channel_id = ?').get(input.channelId) as SubscriptionRow | undefined;
			this.#db
				.prepare(
					`INSERT INTO subscriptions (channel_id, guild_id, events, category_id, role_id, enabled, disabled_reason, updated_at)
					VALUES (?, ?, ?, ?, ?, 1, NULL, ?)
					ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id, events = excluded.events, category_id = excluded.category_id,
						role_id = excluded.role_id, enabled = 1, disabled_reason = NULL, updated_at = excluded.updated_at`
				)
				.run(input.channelId, input.guildId, input.events.join(','), input.categoryId, input.roleId, now);
			return previous === undefined ? null : toSubscription(previous);
		});
		const previous = replace.immediate();
		this.#enabled = undefined;
		return Promise.resolve(previous);
	}

	public unsubscribe(guildId: string, channelId: string): Promise<boolean> {
		const { changes } = this.#db.prepare('DELETE FROM subscriptions WHERE guild_id = ? AND channel_id = ?').run(guildId, channelId);
		this.#enabled = undefined;
		return Promise.resolve(changes === 1);
	}

	public subscriptionsOf(guildId: string): Promise<Subscription[]> {
		return Promise.resolve(
			(this.#db.prepare('SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY channel_id').all(guildId) as SubscriptionRow[]).map(
				toSubscription
			)
		);
	}

	public enabledSubscriptionsFor(type: NotificationType): Promise<Subscription[]> {
		const dataVersion = this.#statements.dataVersion.get() as number;
		if (this.#enabled?.dataVersion !== dataVersion) {
			this.#enabled = { dataVersion, subscriptions: this.#statements.enabledSubscriptions.all().map(toSubscription) };
		}
		return Promise.resolve(this.#enabled.subscriptions.filter((subscription) => wantsType(subscription, type)));
	}

	public disableSubscription(channelId: string, reason: string, now = Date.now()): Promise<boolean> {
		const { changes } = this.#db
			.prepare('UPDATE subscriptions SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE channel_id = ? AND enabled = 1')
			.run(reason, now, channelId);
		this.#enabled = undefined;
		return Promise.resolve(changes === 1);
	}

	public openChannels(): Promise<string[]> {
		return Promise.resolve(this.#statements.openChannels.all().map((row) => row.channel_id));
	}

	public claimHead(channelId: string, worker: string, now: number, leaseUntil: number): Promise<OutboxRow | undefined> {
		const row = this.#claim(channelId, worker, now, leaseUntil);
		return Promise.resolve(row === undefined ? undefined : toOutboxRow(row));
	}

	public finish(id: number, worker: string, outcome: DeliveryOutcome, now = Date.now()): Promise<void> {
		if (outcome.status === 'delivered') this.#statements.delivered.run(outcome.messageId, now, id, worker);
		else this.#statements.notDelivered.run(outcome.status, outcome.error.slice(0, 500), outcome.nextAttemptAt ?? now, now, id, worker);
		return Promise.resolve();
	}

	public previousMessageOf(channelId: string, subject: string, beforeId: number): Promise<string | null> {
		return Promise.resolve(this.#statements.previousMessage.get(channelId, subject, beforeId)?.message_id ?? null);
	}

	public leaseHolders(): Promise<string[]> {
		return Promise.resolve(
			(
				this.#db.prepare(`SELECT DISTINCT worker FROM outbox WHERE status = 'sending' AND worker IS NOT NULL`).all() as { worker: string }[]
			).map((row) => row.worker)
		);
	}

	public releaseLeases(worker: string, now = Date.now()): Promise<number> {
		return Promise.resolve(
			this.#db
				.prepare(`UPDATE outbox SET status = 'pending', lease_until = NULL, updated_at = ? WHERE status = 'sending' AND worker = ?`)
				.run(now, worker).changes
		);
	}

	public deliveriesOf(guildId: string, limit: number, statuses: readonly OutboxStatus[] = OUTBOX_STATUSES): Promise<DeliverySummary[]> {
		return Promise.resolve(
			this.#db
				.prepare(
					`SELECT o.id, o.event_key, e.type AS event_type, o.channel_id, o.status, o.attempts, o.last_error, o.created_at, o.updated_at
					FROM outbox o LEFT JOIN events e ON e.key = o.event_key
					WHERE o.guild_id = ? AND o.status IN (SELECT value FROM json_each(?)) ORDER BY o.id DESC LIMIT ?`
				)
				.all(guildId, JSON.stringify(statuses), Math.max(0, Math.floor(limit))) as DeliverySummary[]
		);
	}

	public statusCountsOf(guildId: string): Promise<Partial<Record<OutboxStatus, number>>> {
		const rows = this.#db.prepare('SELECT status, COUNT(*) AS count FROM outbox WHERE guild_id = ? GROUP BY status').all(guildId) as {
			status: OutboxStatus;
			count: number;
		}[];
		return Promise.resolve(Object.fromEntries(rows.map((row) => [row.status, row.count])));
	}

	public allDeliveries(): Promise<OutboxRow[]> {
		return Promise.resolve((this.#db.prepare('SELECT * FROM outbox ORDER BY id').all() as StoredOutboxRow[]).map(toOutboxRow));
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
