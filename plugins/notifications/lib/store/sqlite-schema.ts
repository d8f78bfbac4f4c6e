import type Database from 'better-sqlite3';

const TABLES = `CREATE TABLE IF NOT EXISTS events (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	key TEXT NOT NULL UNIQUE,
	type TEXT NOT NULL,
	event_type INTEGER,
	event_object_type TEXT,
	object_id TEXT,
	partner_id INTEGER,
	received_at INTEGER NOT NULL,
	payload TEXT
);
CREATE INDEX IF NOT EXISTS events_type ON events (type);
CREATE INDEX IF NOT EXISTS events_received_at ON events (received_at);
CREATE TABLE IF NOT EXISTS subscriptions (
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

/** Columns added after the first release of the file, with their definitions. */
const ADDED_OUTBOX_COLUMNS: readonly (readonly [name: string, definition: string])[] = [
	['subject', 'TEXT'],
	['edits_previous', 'INTEGER NOT NULL DEFAULT 0'],
	['claims', 'INTEGER NOT NULL DEFAULT 0'],
	['first_claimed_at', 'INTEGER']
];

/**
 * Creates the tables of a new file and brings an older file up to date (in one transaction, so a file is
 * never left half migrated). Adding columns is all the migrations so far.
 */
export function migrateSqliteSchema(db: Database.Database): void {
	db.transaction(() => {
		db.exec(TABLES);
		const columns = new Set(
			db
				.prepare<[], { name: string }>('PRAGMA table_info(outbox)')
				.all()
				.map((column) => column.name)
		);
		for (const [name, definition] of ADDED_OUTBOX_COLUMNS) if (!columns.has(name)) db.exec(`ALTER TABLE outbox ADD COLUMN ${name} ${definition}`);
		// Open rows of a file from before claims were counted may have been sent already: each counts as claimed
		// once, since it was queued, so its next send looks for an earlier post first.
		if (!columns.has('claims')) db.exec(`UPDATE outbox SET claims = 1, first_claimed_at = created_at WHERE status IN ('pending', 'sending')`);
		db.exec('CREATE INDEX IF NOT EXISTS outbox_subject ON outbox (channel_id, subject, id) WHERE subject IS NOT NULL');
		db.exec('CREATE INDEX IF NOT EXISTS outbox_finished ON outbox (status, updated_at)');
		// Every key received, kept long after its event (see KEY_RETENTION_DAYS): a file from before this table
		// starts it with the keys of the events it holds.
		const hasSeenKeys = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seen_keys'`).get() !== undefined;
		if (!hasSeenKeys) {
			db.exec('CREATE TABLE seen_keys (key TEXT PRIMARY KEY, day INTEGER NOT NULL) WITHOUT ROWID');
			db.exec('CREATE INDEX seen_keys_day ON seen_keys (day)');
			db.exec('INSERT OR IGNORE INTO seen_keys (key, day) SELECT key, received_at / 86400000 FROM events');
		}
		// Events nobody subscribed to keep no body: payload became nullable (SQLite cannot drop NOT NULL in place).
		const payload = db
			.prepare<[], { name: string; notnull: number }>('PRAGMA table_info(events)')
			.all()
			.find((column) => column.name === 'payload');
		if (payload?.notnull === 1) {
			db.exec(`CREATE TABLE events_new (
				seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, type TEXT NOT NULL, event_type INTEGER, event_object_type TEXT,
				object_id TEXT, partner_id INTEGER, received_at INTEGER NOT NULL, payload TEXT)`);
			db.exec(
				'INSERT INTO events_new SELECT seq, key, type, event_type, event_object_type, object_id, partner_id, received_at, payload FROM events'
			);
			db.exec('DROP TABLE events');
			db.exec('ALTER TABLE events_new RENAME TO events');
			db.exec('CREATE INDEX IF NOT EXISTS events_type ON events (type)');
			db.exec('CREATE INDEX IF NOT EXISTS events_received_at ON events (received_at)');
		}
	}).immediate();
}
