import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { emptyUsageDay, type UsageDay } from '../usage-day.js';
import { PLAIN_COUNTERS, type PlainCounter, type UsageCount, type UsageDayStore } from './usage-day-store.js';

/**
 * One row per server and day (every day counted has one) with the plain counters, one per server, day and meeting type,
 * and one per distinct joiner's hash (the primary key is what makes a joiner count once). Days are `YYYY-MM-DD` text,
 * which sorts as dates do.
 */
const SCHEMA = `CREATE TABLE IF NOT EXISTS usage_days (
	guild_id TEXT NOT NULL,
	day TEXT NOT NULL,
	PRIMARY KEY (guild_id, day)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS usage_days_day ON usage_days (day);
CREATE TABLE IF NOT EXISTS usage_meetings (
	guild_id TEXT NOT NULL,
	day TEXT NOT NULL,
	meeting_type TEXT NOT NULL,
	started INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (guild_id, day, meeting_type)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS usage_meetings_day ON usage_meetings (day);
CREATE TABLE IF NOT EXISTS usage_joiners (
	guild_id TEXT NOT NULL,
	day TEXT NOT NULL,
	joiner TEXT NOT NULL,
	PRIMARY KEY (guild_id, day, joiner)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS usage_joiners_day ON usage_joiners (day);`;

const TABLES = ['usage_days', 'usage_meetings', 'usage_joiners'] as const;

/**
 * The `usage_days` column of each plain counter (a closed list: no name from outside reaches the SQL). A counter added
 * later gets its column when a file from before it is opened (0 on the days counted before).
 */
const COLUMNS: Readonly<Record<PlainCounter, string>> = {
	joins: 'joins',
	videoSearches: 'video_searches',
	videoShares: 'video_shares',
	notificationsDelivered: 'notifications_delivered',
	notificationsFailed: 'notifications_failed'
};

type DayRow = { day: string } & Record<string, unknown>;

/** Creates the tables of a new file and adds the counter columns it lacks, in one transaction (two processes may open it at once). */
function migrate(db: Database.Database): void {
	db.transaction(() => {
		db.exec(SCHEMA);
		const columns = new Set(
			db
				.prepare<[], { name: string }>('PRAGMA table_info(usage_days)')
				.all()
				.map((column) => column.name)
		);
		for (const column of Object.values(COLUMNS)) {
			if (!columns.has(column)) db.exec(`ALTER TABLE usage_days ADD COLUMN ${column} INTEGER NOT NULL DEFAULT 0`);
		}
	}).immediate();
}

/** A stored counter as a count (anything else reads as none). */
const countOf = (value: unknown): number => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0);

type Range = [guildId: string, fromDay: string, toDay: string];

/**
 * The usage days in an embedded SQLite file (`<DATA_DIR>/metrics-usage.sqlite`), in WAL mode with a busy timeout, so that
 * bot processes on one machine can share the file: each count is one short IMMEDIATE transaction (the write lock is taken
 * first, so the joiners' cap is checked and kept under that lock). `synchronous = NORMAL`: in WAL mode a crash of the bot
 * loses nothing committed, and a power loss at most the last counts of a report, which is worth not waiting for a disk
 * sync on every meeting and search. better-sqlite3 answers synchronously; promises only to share the contract.
 */
export class SqliteUsageDayStore implements UsageDayStore {
	public readonly kind = 'sqlite';
	readonly #db: Database.Database;
	readonly #count: (count: UsageCount, joinersCap: number) => void;
	readonly #read: (...range: Range) => Map<string, UsageDay>;
	readonly #forget: (guildId: string) => number;
	readonly #sweepDay: (day: string) => number;
	readonly #oldDays: Database.Statement<[string], { day: string }>;

	public constructor(file: string) {
		if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		this.#db = new Database(file);
		const db = this.#db;
		try {
			// First: another process may hold the lock while this one switches to WAL or creates the tables.
			db.pragma('busy_timeout = 5000');
			db.pragma('journal_mode = WAL');
			db.pragma('synchronous = NORMAL');
			migrate(db);
		} catch (error) {
			// Not a database, or locked for longer than the timeout: the next event tries again with a new connection.
			db.close();
			throw error;
		}
		const addTo = Object.fromEntries(
			PLAIN_COUNTERS.map((counter) => {
				const column = COLUMNS[counter];
				const sql = `INSERT INTO usage_days (guild_id, day, ${column}) VALUES (?, ?, 1) ON CONFLICT (guild_id, day) DO UPDATE SET ${column} = ${column} + 1`;
				return [counter, db.prepare<[string, string]>(sql)];
			})
		) as Record<PlainCounter, Database.Statement<[string, string]>>;
		const openDay = db.prepare<[string, string]>('INSERT INTO usage_days (guild_id, day) VALUES (?, ?) ON CONFLICT (guild_id, day) DO NOTHING');
		const startMeeting = db.prepare<[string, string, string]>(
			'INSERT INTO usage_meetings (guild_id, day, meeting_type, started) VALUES (?, ?, ?, 1) ON CONFLICT (guild_id, day, meeting_type) DO UPDATE SET started = started + 1'
		);
		const keepJoiner = db.prepare<{ guild: string; day: string; joiner: string; cap: number }>(
			`INSERT OR IGNORE INTO usage_joiners (guild_id, day, joiner) SELECT @guild, @day, @joiner
			WHERE (SELECT COUNT(*) FROM usage_joiners WHERE guild_id = @guild AND day = @day) < @cap`
		);
		this.#count = db.transaction((count: UsageCount, joinersCap: number) => {
			if (count.counter === 'meetingsStarted') {
				// Every day counted has its row here, which is what sweeping and forgetting count.
				openDay.run(count.guildId, count.day);
				startMeeting.run(count.guildId, count.day, count.meetingType);
				return;
			}
			addTo[count.counter].run(count.guildId, count.day);
			if (count.joiner !== undefined) keepJoiner.run({ guild: count.guildId, day: count.day, joiner: count.joiner, cap: joinersCap });
		}).immediate;

		const between = 'guild_id = ? AND day >= ? AND day <= ?';
		const days = db.prepare<Range, DayRow>(`SELECT * FROM usage_days WHERE ${between}`);
		const meetings = db.prepare<Range, { day: string; meeting_type: string; started: number }>(`SELECT * FROM usage_meetings WHERE ${between}`);
		const joiners = db.prepare<Range, { day: string; joiner: string }>(
			`SELECT day, joiner FROM usage_joiners WHERE ${between} ORDER BY day, joiner`
		);
		// One read transaction: the three tables from one snapshot, even while another process counts.
		this.#read = db.transaction((...range: Range) => {
			const found = new Map<string, UsageDay>();
			const dayOf = (day: string): UsageDay => {
				const known = found.get(day);
				if (known !== undefined) return known;
				const usage = emptyUsageDay();
				found.set(day, usage);
				return usage;
			};
			for (const row of days.all(...range)) {
				const usage = dayOf(row.day);
				for (const counter of PLAIN_COUNTERS) usage[counter] = countOf(row[COLUMNS[counter]]);
			}
			for (const row of meetings.all(...range)) dayOf(row.day).meetingsStarted[row.meeting_type] = row.started;
			for (const row of joiners.all(...range)) dayOf(row.day).joiners.push(row.joiner);
			return found;
		}).deferred;

		const forgetIn = TABLES.map((table) => db.prepare<[string]>(`DELETE FROM ${table} WHERE guild_id = ?`));
		this.#forget = db.transaction((guildId: string) => forgetIn.map((statement) => statement.run(guildId).changes)[0] ?? 0).immediate;
		const sweepIn = TABLES.map((table) => db.prepare<[string]>(`DELETE FROM ${table} WHERE day = ?`));
		this.#sweepDay = db.transaction((day: string) => sweepIn.map((statement) => statement.run(day).changes)[0] ?? 0).immediate;
		this.#oldDays = db.prepare<[string], { day: string }>('SELECT DISTINCT day FROM usage_days WHERE day < ? ORDER BY day');
	}

	public count(count: UsageCount, joinersCap: number): Promise<void> {
		this.#count(count, joinersCap);
		return Promise.resolve();
	}

	public read(guildId: string, fromDay: string, toDay: string): Promise<Map<string, UsageDay>> {
		return Promise.resolve(this.#read(guildId, fromDay, toDay));
	}

	public forget(guildId: string): Promise<number> {
		return Promise.resolve(this.#forget(guildId));
	}

	/** One day per transaction, with a turn of the event loop between: a long backlog must not hold the file's lock. */
	public async sweep(beforeDay: string): Promise<number> {
		let deleted = 0;
		for (const { day } of this.#oldDays.all(beforeDay)) {
			if (!this.#db.open) break;
			deleted += this.#sweepDay(day);
			await new Promise((resume) => setImmediate(resume));
		}
		return deleted;
	}

	public close(): Promise<void> {
		if (this.#db.open) this.#db.close();
		return Promise.resolve();
	}
}
