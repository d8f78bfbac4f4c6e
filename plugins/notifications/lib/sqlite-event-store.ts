import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { EventStore, InsertResult, NotificationEvent } from './event-store.js';
import type { NotificationType } from './normalise.js';
import { OUTBOX_SCHEMA, OutboxTables, type OutboxDraft } from './outbox.js';

interface EventRow {
	key: string;
	type: string;
	event_type: number | null;
	event_object_type: string | null;
	object_id: string | null;
	partner_id: number | null;
	received_at: number;
	payload: string;
}

interface PendingInsert {
	readonly row: EventRow;
	readonly drafts: readonly OutboxDraft[];
	readonly resolve: (result: InsertResult) => void;
	readonly reject: (error: unknown) => void;
}

/**
 * The event store in an embedded SQLite file (`<DATA_DIR>/notifications.sqlite`), in WAL mode with
 * `synchronous = FULL` so a committed insert survives a crash: the webhook acknowledges only after it.
 */
export class SqliteEventStore implements EventStore {
	readonly #db: Database.Database;
	readonly #insert: Database.Statement<[EventRow]>;
	readonly #recent: Database.Statement<[number], EventRow>;
	readonly #counts: Database.Statement<[], { type: string; count: number }>;
	readonly #insertBatch: (batch: readonly PendingInsert[]) => number[];
	/** Inserts waiting for the next group commit. */
	#pending: PendingInsert[] = [];
	/** Subscriptions and the delivery outbox, in the same file (and so the same transactions) as the events. */
	public readonly outbox: OutboxTables;

	public constructor(file: string) {
		if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		this.#db = new Database(file);
		this.#db.pragma('journal_mode = WAL');
		this.#db.pragma('synchronous = FULL');
		this.#db.pragma('busy_timeout = 5000');
		this.#db.exec(`CREATE TABLE IF NOT EXISTS events (
			seq INTEGER PRIMARY KEY AUTOINCREMENT,
			key TEXT NOT NULL UNIQUE,
			type TEXT NOT NULL,
			event_type INTEGER,
			event_object_type TEXT,
			object_id TEXT,
			partner_id INTEGER,
			received_at INTEGER NOT NULL,
			payload TEXT NOT NULL
		);
		CREATE INDEX IF NOT EXISTS events_type ON events (type);
		CREATE INDEX IF NOT EXISTS events_received_at ON events (received_at);`);
		this.#db.exec(OUTBOX_SCHEMA);
		this.outbox = new OutboxTables(this.#db);
		this.#insert = this.#db.prepare(`INSERT INTO events (key, type, event_type, event_object_type, object_id, partner_id, received_at, payload)
			VALUES (@key, @type, @event_type, @event_object_type, @object_id, @partner_id, @received_at, @payload)
			ON CONFLICT (key) DO NOTHING`);
		this.#recent = this.#db.prepare('SELECT * FROM events ORDER BY received_at DESC, seq DESC LIMIT ?');
		this.#counts = this.#db.prepare('SELECT type, COUNT(*) AS count FROM events GROUP BY type');
		// Each event and its outbox rows commit together: an acknowledged event always has its deliveries queued.
		// Events that arrive together share one transaction, and so one fsync: with synchronous = FULL the
		// sync, not the insert, is what a webhook waits for.
		this.#insertBatch = this.#db.transaction((batch: readonly PendingInsert[]) =>
			batch.map(({ row, drafts }) => {
				const { changes } = this.#insert.run(row);
				if (changes === 1) for (const draft of drafts) this.outbox.enqueue(row.key, draft, row.received_at);
				return changes;
			})
		);
	}

	/**
	 * Stores the event if its key is new and, only then and in the same transaction, queues `outbox`
	 * (one delivery per channel; a duplicate event queues nothing).
	 */
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
		const rows = this.#recent.all(Math.max(0, Math.floor(limit)));
		return Promise.resolve(
			rows.map((row) => ({
				key: row.key,
				type: row.type as NotificationType,
				eventType: row.event_type,
				eventObjectType: row.event_object_type,
				objectId: row.object_id,
				partnerId: row.partner_id,
				receivedAt: row.received_at,
				payload: row.payload
			}))
		);
	}

	public countsByType(): Promise<Partial<Record<NotificationType, number>>> {
		const counts: Partial<Record<NotificationType, number>> = {};
		for (const row of this.#counts.all()) counts[row.type as NotificationType] = row.count;
		return Promise.resolve(counts);
	}

	public close(): Promise<void> {
		if (this.#db.open && this.#pending.length > 0) this.#commitPending();
		if (this.#db.open) this.#db.close();
		return Promise.resolve();
	}
}
