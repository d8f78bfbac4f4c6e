import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteUsageDayStore } from './sqlite-usage-day-store.js';
import type { UsageDayStore } from './usage-day-store.js';

export const SQLITE_USAGE_FILE = 'metrics-usage.sqlite';

/** Where the usage is kept: MongoDB when a URL is set, else `<DATA_DIR>/metrics-usage.sqlite` (where the core keeps its documents). */
export interface UsageStoreLocation {
	readonly DATA_DIR: string;
	readonly MONGODB_URL?: string | undefined;
}

export interface UsageStoreConnectionOptions {
	/** MongoDB collection names start with this (tests keep runs apart with it). */
	readonly mongoPrefix?: string;
}

/** The SQLite file of a data directory. */
export function sqliteUsageFile(dataDirectory: string): string {
	return join(dataDirectory, SQLITE_USAGE_FILE);
}

/**
 * The plugin's one connection to its usage store while it runs. Opened on first use; a failed opening (MongoDB down, a
 * directory that cannot be written) is forgotten, so the next use tries again.
 */
export class UsageStoreConnection {
	readonly #location: UsageStoreLocation;
	readonly #options: UsageStoreConnectionOptions;
	#store: Promise<UsageDayStore> | undefined;
	#closed = false;

	public constructor(location: UsageStoreLocation, options: UsageStoreConnectionOptions = {}) {
		this.#location = location;
		this.#options = options;
	}

	public open(): Promise<UsageDayStore> {
		if (this.#closed) return Promise.reject(new Error('The usage store is closed: the metrics plugin has stopped.'));
		if (this.#store !== undefined) return this.#store;
		const { DATA_DIR, MONGODB_URL } = this.#location;
		const store =
			MONGODB_URL === undefined
				? // A file that cannot be opened rejects like a MongoDB that cannot be reached.
					new Promise<UsageDayStore>((resolve) => resolve(new SqliteUsageDayStore(sqliteUsageFile(DATA_DIR))))
				: // Loaded only here: a bot on SQLite never loads the MongoDB driver.
					import('./mongo-usage-day-store.js').then(({ MongoUsageDayStore }) =>
						MongoUsageDayStore.connect(MONGODB_URL, { prefix: this.#options.mongoPrefix })
					);
		this.#store = store;
		store.catch(() => {
			if (this.#store === store) this.#store = undefined;
		});
		return store;
	}

	/**
	 * The store if it exists, without creating it: the SQLite file is made by the first event counted, so a bot that counts
	 * none (or is only asked for reports) leaves no file behind. A MongoDB store always exists.
	 */
	public existing(): Promise<UsageDayStore | undefined> {
		const { DATA_DIR, MONGODB_URL } = this.#location;
		if (MONGODB_URL === undefined && this.#store === undefined && !existsSync(sqliteUsageFile(DATA_DIR))) return Promise.resolve(undefined);
		return this.open();
	}

	/** Closes the connection; any later use is refused. */
	public async close(): Promise<void> {
		this.#closed = true;
		const store = this.#store;
		this.#store = undefined;
		await (await store?.catch(() => undefined))?.close();
	}
}
