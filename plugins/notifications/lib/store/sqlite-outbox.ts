import type Database from 'better-sqlite3';
import {
	OUTBOX_STATUSES,
	type DeliveryOutcome,
	type DeliverySummary,
	type OutboxDraft,
	type OutboxRow,
	type OutboxStatus
} from './notification-store.js';
import { toOutboxRow, type StoredOutboxRow } from './sqlite-rows.js';

/** The outbox of the SQLite notification store: queued deliveries, the claims workers hold on them, and their outcomes. */
export class SqliteOutbox {
	readonly #db: Database.Database;
	readonly #statements;
	readonly #claim: (channelId: string, worker: string, now: number, leaseUntil: number) => StoredOutboxRow | undefined;

	/** `db` is the store's connection, its schema already migrated. */
	public constructor(db: Database.Database) {
		this.#db = db;
		this.#statements = {
			enqueue: db.prepare<[string, string, string, string, string | null, number, number, number, number]>(
				`INSERT INTO outbox (event_key, guild_id, channel_id, body, subject, edits_previous, status, next_attempt_at, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (event_key, channel_id) DO NOTHING`
			),
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
			)
		};
		// One write transaction (IMMEDIATE), so two processes never both win a row.
		const claim = db.transaction((channelId: string, worker: string, now: number, leaseUntil: number) => {
			const head = this.#statements.head.get(channelId);
			if (head === undefined) return undefined;
			const { changes } = this.#statements.claim.run(leaseUntil, worker, now, now, head.id, now, now);
			return changes === 1 ? this.#statements.row.get(head.id) : undefined;
		});
		this.#claim = (...args) => claim.immediate(...args);
	}

	/** Queues a delivery of an event; called inside the transaction that stores the event. */
	public enqueue(eventKey: string, draft: OutboxDraft, now: number): void {
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

	public openChannels(): string[] {
		return this.#statements.openChannels.all().map((row) => row.channel_id);
	}

	public claimHead(channelId: string, worker: string, now: number, leaseUntil: number): OutboxRow | undefined {
		const row = this.#claim(channelId, worker, now, leaseUntil);
		return row === undefined ? undefined : toOutboxRow(row);
	}

	public finish(id: number, worker: string, outcome: DeliveryOutcome, now: number): void {
		if (outcome.status === 'delivered') this.#statements.delivered.run(outcome.messageId, now, id, worker);
		else this.#statements.notDelivered.run(outcome.status, outcome.error.slice(0, 500), outcome.nextAttemptAt ?? now, now, id, worker);
	}

	public previousMessageOf(channelId: string, subject: string, beforeId: number): string | null {
		return this.#statements.previousMessage.get(channelId, subject, beforeId)?.message_id ?? null;
	}

	public leaseHolders(): string[] {
		return this.#db
			.prepare<[], { worker: string }>(`SELECT DISTINCT worker FROM outbox WHERE status = 'sending' AND worker IS NOT NULL`)
			.all()
			.map((row) => row.worker);
	}

	public releaseLeases(worker: string, now: number): number {
		return this.#db
			.prepare(`UPDATE outbox SET status = 'pending', lease_until = NULL, updated_at = ? WHERE status = 'sending' AND worker = ?`)
			.run(now, worker).changes;
	}

	public deliveriesOf(guildId: string, limit: number, statuses: readonly OutboxStatus[] = OUTBOX_STATUSES): DeliverySummary[] {
		return this.#db
			.prepare<[string, string, number], DeliverySummary>(
				`SELECT o.id, o.event_key, e.type AS event_type, o.channel_id, o.status, o.attempts, o.last_error, o.created_at, o.updated_at
				FROM outbox o LEFT JOIN events e ON e.key = o.event_key
				WHERE o.guild_id = ? AND o.status IN (SELECT value FROM json_each(?)) ORDER BY o.id DESC LIMIT ?`
			)
			.all(guildId, JSON.stringify(statuses), Math.max(0, Math.floor(limit)));
	}

	public statusCountsOf(guildId: string): Partial<Record<OutboxStatus, number>> {
		const rows = this.#db
			.prepare<[string], { status: OutboxStatus; count: number }>(
				'SELECT status, COUNT(*) AS count FROM outbox WHERE guild_id = ? GROUP BY status'
			)
			.all(guildId);
		return Object.fromEntries(rows.map((row) => [row.status, row.count]));
	}

	public statusCounts(): Partial<Record<OutboxStatus, number>> {
		const rows = this.#db
			.prepare<[], { status: OutboxStatus; count: number }>('SELECT status, COUNT(*) AS count FROM outbox GROUP BY status')
			.all();
		return Object.fromEntries(rows.map((row) => [row.status, row.count]));
	}

	public allDeliveries(): OutboxRow[] {
		return this.#db.prepare<[], StoredOutboxRow>('SELECT * FROM outbox ORDER BY id').all().map(toOutboxRow);
	}
}
