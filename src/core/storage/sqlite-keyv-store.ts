import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

/**
 * A Keyv store on a SQLite file through better-sqlite3, the binding the audit log and the notification
 * outbox use too, so the bot builds one native SQLite module instead of two.
 *
 * The table is the one `@keyv/sqlite` 4 created (`keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)`,
 * keys `namespace:key`, values Keyv's serialized `{"value":…,"expires":…}`), so a data file written by
 * earlier versions of the bot is read as it is: no migration step, nothing to convert.
 */

const TABLE_SCHEMA = 'CREATE TABLE IF NOT EXISTS keyv(key VARCHAR(255) PRIMARY KEY, value TEXT)';

/** How long a write waits for another process's lock on the file before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/** Rows per query when iterating a namespace: bounded memory whatever the namespace's size. */
const ITERATION_PAGE = 100;

interface Statements {
	readonly get: Database.Statement<[string], { value: string }>;
	readonly set: Database.Statement<[string, string]>;
	readonly delete: Database.Statement<[string]>;
	readonly has: Database.Statement<[string], { found: number }>;
	readonly clearRange: Database.Statement<[string, string]>;
	readonly clearAll: Database.Statement<[]>;
	readonly page: Database.Statement<[string, string, string, number], { key: string; value: string }>;
}

/** One connection per file, shared by every namespace on it: one writer in the process, so no lock waits between namespaces. */
interface SharedFile {
	readonly path: string;
	readonly db: Database.Database;
	readonly statements: Statements;
	users: number;
}

const openFiles = new Map<string, SharedFile>();

function openFile(file: string): SharedFile {
	const path = resolve(file);
	const shared = openFiles.get(path);
	if (shared !== undefined) {
		shared.users += 1;
		return shared;
	}
	mkdirSync(dirname(path), { recursive: true });
	const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
	try {
		// WAL: readers never wait for the writer. FULL: a setting the bot reported saved survives a power cut.
		db.pragma('journal_mode = WAL');
		db.pragma('synchronous = FULL');
		db.exec(TABLE_SCHEMA);
		// Keyv drops an expired entry only when it is read; entries nobody reads again would stay for ever.
		db.prepare("DELETE FROM keyv WHERE json_valid(value) AND json_extract(value, '$.expires') < ?").run(Date.now());
	} catch (error) {
		db.close();
		throw error;
	}
	const opened: SharedFile = {
		path,
		db,
		users: 1,
		statements: {
			get: db.prepare('SELECT value FROM keyv WHERE key = ?'),
			set: db.prepare('INSERT INTO keyv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
			delete: db.prepare('DELETE FROM keyv WHERE key = ?'),
			has: db.prepare('SELECT 1 AS found FROM keyv WHERE key = ?'),
			// A key range rather than LIKE: LIKE treats `_` as a wildcard and ignores ASCII case.
			clearRange: db.prepare('DELETE FROM keyv WHERE key >= ? AND key < ?'),
			clearAll: db.prepare('DELETE FROM keyv'),
			page: db.prepare('SELECT key, value FROM keyv WHERE key > ? AND key >= ? AND key < ? ORDER BY key LIMIT ?')
		}
	};
	openFiles.set(path, opened);
	return opened;
}

function releaseFile(shared: SharedFile): void {
	shared.users -= 1;
	if (shared.users > 0) return;
	if (openFiles.get(shared.path) === shared) openFiles.delete(shared.path);
	shared.db.close();
}

/** The keys of a namespace are exactly those in [`ns:`, `ns;`): `;` is the character after `:`. */
function namespaceRange(namespace: string | undefined): [string, string] {
	return namespace === undefined || namespace === '' ? ['', '\u{10FFFF}'] : [`${namespace}:`, `${namespace};`];
}

/** The file's path and SQLite's own code in the message, so a log line says which file and what went wrong. */
function openFailure(file: string, error: unknown): Error {
	const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
	const reason = error instanceof Error ? error.message : String(error);
	const detail = code === undefined || reason.startsWith(code) ? reason : `${code}: ${reason}`;
	const failure = new Error(`Cannot open the SQLite file ${file}: ${detail}`, { cause: error });
	if (code !== undefined) Object.assign(failure, { code });
	return failure;
}

export class SqliteKeyvStore extends EventEmitter implements KeyvStoreAdapter {
	/** Keyv reads `dialect` and `url` to decide whether the store can iterate a namespace (keyv's `_checkIterableAdapter`). */
	public readonly opts: { readonly dialect: 'sqlite'; readonly url: string };
	public namespace?: string | undefined;
	readonly #file: string;
	#shared: SharedFile | undefined;
	readonly #failure: Error | undefined;

	public constructor(file: string) {
		super();
		this.#file = file;
		this.opts = { dialect: 'sqlite', url: `sqlite://${file}` };
		try {
			this.#shared = openFile(file);
		} catch (error) {
			// Reported like any other storage failure: through 'error' (once a listener is attached) and by every operation.
			this.#failure = openFailure(file, error);
			setImmediate(() => {
				if (this.listenerCount('error') > 0) this.emit('error', this.#failure);
			});
		}
	}

	// Keyv's adapter contract types what a store returns as the caller's Value, though every store returns the text Keyv
	// serialised and Keyv deserialises it itself: the casts below only restate that contract.
	public get<Value>(key: string): Promise<StoredData<Value> | undefined> {
		return this.#run((statements) => statements.get.get(key)?.value as StoredData<Value> | undefined);
	}

	public getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
		return this.#run((statements) => keys.map((key) => statements.get.get(key)?.value as StoredData<Value | undefined>));
	}

	public set(key: string, value: string): Promise<boolean> {
		return this.#run((statements) => {
			statements.set.run(key, value);
			return true;
		});
	}

	public delete(key: string): Promise<boolean> {
		return this.#run((statements) => statements.delete.run(key).changes > 0);
	}

	public deleteMany(keys: string[]): Promise<boolean> {
		return this.#run((statements, db) =>
			db.transaction(() => keys.reduce((deleted, key) => statements.delete.run(key).changes > 0 || deleted, false))()
		);
	}

	public has(key: string): Promise<boolean> {
		return this.#run((statements) => statements.has.get(key) !== undefined);
	}

	public clear(): Promise<void> {
		return this.#run((statements) => {
			if (this.namespace === undefined || this.namespace === '') statements.clearAll.run();
			else statements.clearRange.run(...namespaceRange(this.namespace));
		});
	}

	public async *iterator<Value>(namespace?: string): AsyncGenerator<Array<string | Awaited<Value> | undefined>, void> {
		const [from, to] = namespaceRange(namespace);
		let after = '';
		for (;;) {
			const rows = await this.#run((statements) => statements.page.all(after, from, to, ITERATION_PAGE));
			for (const row of rows) yield [row.key, row.value];
			const last = rows.at(-1);
			if (last === undefined || rows.length < ITERATION_PAGE) return;
			after = last.key;
		}
	}

	public disconnect(): Promise<void> {
		const shared = this.#shared;
		this.#shared = undefined;
		if (shared !== undefined) releaseFile(shared);
		return Promise.resolve();
	}

	/** better-sqlite3 answers synchronously; a thrown error becomes the rejection Keyv expects. */
	#run<Result>(operation: (statements: Statements, db: Database.Database) => Result): Promise<Result> {
		try {
			if (this.#failure !== undefined) throw this.#failure;
			if (this.#shared === undefined) throw new Error(`The SQLite file ${this.#file} was closed`);
			return Promise.resolve(operation(this.#shared.statements, this.#shared.db));
		} catch (error) {
			return Promise.reject(error instanceof Error ? error : new Error(String(error)));
		}
	}
}
