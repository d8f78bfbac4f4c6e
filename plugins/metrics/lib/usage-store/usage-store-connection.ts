import { join } from 'node:path';
import { DocumentStoreConnection, type DocumentStoreLocation } from '#sdk';
import { SqliteUsageDayStore } from './sqlite-usage-day-store.js';
import type { UsageDayStore } from './usage-day-store.js';

export const SQLITE_USAGE_FILE = 'metrics-usage.sqlite';

/** Where the usage is kept: MongoDB when a URL is set, else `<DATA_DIR>/metrics-usage.sqlite` (where the core keeps its documents). */
export type UsageStoreLocation = DocumentStoreLocation;

export interface UsageStoreConnectionOptions {
	/** MongoDB collection names start with this (tests keep runs apart with it). */
	readonly mongoPrefix?: string;
}

/** The SQLite file of a data directory. */
export function sqliteUsageFile(dataDirectory: string): string {
	return join(dataDirectory, SQLITE_USAGE_FILE);
}

/** The plugin's one connection to its usage store while it runs; the SQLite file is made by the first event counted. */
export class UsageStoreConnection extends DocumentStoreConnection<UsageDayStore> {
	public constructor(location: UsageStoreLocation, options: UsageStoreConnectionOptions = {}) {
		super(location, {
			sqliteFile: SQLITE_USAGE_FILE,
			openSqlite: (path) => new SqliteUsageDayStore(path),
			// Loaded only here: a bot on SQLite never loads the MongoDB driver.
			openMongo: async (url) => {
				const { MongoUsageDayStore } = await import('./mongo-usage-day-store.js');
				return MongoUsageDayStore.connect(url, { prefix: options.mongoPrefix });
			},
			closedMessage: 'The usage store is closed: the metrics plugin has stopped.'
		});
	}
}
