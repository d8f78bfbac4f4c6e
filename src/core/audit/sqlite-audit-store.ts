import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { timeOfAuditId } from './audit-ids.js';
import type { AuditEntry } from './audit-log.js';
import { AUDIT_PRUNE_BATCH, entryFromStored, storedFromEntry, type AuditQuery, type AuditStore, type StoredAuditEntry } from './audit-store.js';

const SCHEMA = `CREATE TABLE IF NOT EXISTS audit (
	id TEXT PRIMARY KEY,
	guild_id TEXT NOT NULL,
	actor_id TEXT NOT NULL,
	source TEXT NOT NULL,
	action TEXT NOT NULL,
	target TEXT,
	changes TEXT,
	outcome TEXT NOT NULL,
	detail TEXT,
	at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS audit_guild_at ON audit (guild_id, at);
CREATE INDEX IF NOT EXISTS audit_guild_actor ON audit (guild_id, actor_id, at);
CREATE INDEX IF NOT EXISTS audit_guild_action ON audit (guild_id, action, at);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE TABLE IF NOT EXISTS audit_channels (
	guild_id TEXT PRIMARY KEY,
	channel_id TEXT NOT NULL,
	updated_at INTEGER NOT NULL
);`;

type AuditRow = StoredAuditEntry;

const toEntry = entryFromStored;

/**
 * The audit log in an embedded SQLite file (`<DATA_DIR>/audit.sqlite`), WAL mode, `synchronous = FULL`:
 * an entry the bot reported recorded survives a crash. Synchronous underneath (better-sqlite3); promises
 * only to share the contract with MongoDB.
 */
export class SqliteAuditStore implements AuditStore {
	public readonly kind = 'sqlite';
	readonly #db: Database.Database;
	readonly #insert: Database.Statement<[AuditRow]>;
	readonly #prune: Database.Statement<[number, number]>;
	readonly #ping: Database.Statement<[]>;

	public constructor(file: string) {
		if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		this.#db = new Database(file);
		this.#db.pragma('journal_mode = WAL');
		this.#db.pragma('synchronous = FULL');
		this.#db.pragma('busy_timeout = 5000');
		this.#db.exec(SCHEMA);
		this.#insert = this.#db.prepare<[AuditRow]>(
			`INSERT INTO audit (id, guild_id, actor_id, source, action, target, changes, outcome, detail, at)
			VALUES (@id, @guild_id, @actor_id, @source, @action, @target, @changes, @outcome, @detail, @at)`
		);
		this.#prune = this.#db.prepare<[number, number]>('DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < ? LIMIT ?)');
		this.#ping = this.#db.prepare<[]>('SELECT 1');
	}

	public insert(entry: AuditEntry): Promise<void> {
		this.#insert.run(storedFromEntry(entry));
		return Promise.resolve();
	}

	public list(query: AuditQuery): Promise<AuditEntry[]> {
		const conditions = ['guild_id = ?'];
		const parameters: (string | number)[] = [query.guildId];
		const where = (condition: string, ...values: (string | number)[]) => {
			conditions.push(condition);
			parameters.push(...values);
		};
		if (query.actorId !== undefined) where('actor_id = ?', query.actorId);
		if (query.action !== undefined) where('action = ?', query.action);
		// The id's time bounds `at` too, so the (guild_id, at) index narrows the scan.
		if (query.before !== undefined && 'id' in query.before) where('at <= ? AND id < ?', timeOfAuditId(query.before.id), query.before.id);
		else if (query.before !== undefined) where('at < ?', query.before.at);
		parameters.push(Math.max(0, Math.floor(query.limit)), Math.max(0, Math.floor(query.offset ?? 0)));
		const rows = this.#db
			.prepare<(string | number)[], AuditRow>(
				`SELECT * FROM audit WHERE ${conditions.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`
			)
			.all(...parameters);
		return Promise.resolve(rows.map(toEntry));
	}

	/** Batches, each its own short transaction with a turn of the event loop between: a year's backlog must not hold the file's lock. */
	public async prune(before: number): Promise<number> {
		let deleted = 0;
		for (;;) {
			if (!this.#db.open) return deleted;
			const { changes } = this.#prune.run(before, AUDIT_PRUNE_BATCH);
			deleted += changes;
			if (changes < AUDIT_PRUNE_BATCH) return deleted;
			await new Promise((resume) => setImmediate(resume));
		}
	}

	public logChannelOf(guildId: string): Promise<string | null> {
		const row = this.#db.prepare<[string], { channel_id: string }>('SELECT channel_id FROM audit_channels WHERE guild_id = ?').get(guildId);
		return Promise.resolve(row?.channel_id ?? null);
	}

	public setLogChannel(guildId: string, channelId: string | null, now = Date.now()): Promise<void> {
		if (channelId === null) this.#db.prepare('DELETE FROM audit_channels WHERE guild_id = ?').run(guildId);
		else {
			this.#db
				.prepare(
					'INSERT INTO audit_channels (guild_id, channel_id, updated_at) VALUES (?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, updated_at = excluded.updated_at'
				)
				.run(guildId, channelId, now);
		}
		return Promise.resolve();
	}

	/** Throws once the database is closed, or when its file can no longer be read. */
	public ping(): Promise<void> {
		return new Promise((resolve) => {
			this.#ping.get();
			resolve();
		});
	}

	public close(): Promise<void> {
		if (this.#db.open) this.#db.close();
		return Promise.resolve();
	}
}
