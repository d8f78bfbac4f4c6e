import { join } from 'node:path';
import { DocumentStoreConnection, type DocumentStoreLocation } from '#sdk';
import { MongoNotificationStore } from './mongo-notification-store.js';
import type { NotificationStore } from './notification-store.js';
import { SqliteNotificationStore } from './sqlite-notification-store.js';

export const SQLITE_STORE_FILE = 'notifications.sqlite';

/** Where the store is: MongoDB when a URL is set, else `<DATA_DIR>/notifications.sqlite`. */
export type StoreLocation = DocumentStoreLocation;

/** The SQLite file of a data directory. */
export function sqliteStoreFile(dataDirectory: string): string {
	return join(dataDirectory, SQLITE_STORE_FILE);
}

/**
 * The plugin's one connection to its store while it runs, shared by the webhook route, the command, the API
 * and the delivery worker (with SQLite, one connection is what lets an event and its deliveries share a
 * transaction). Made by the plugin's start hook and closed by its stop hook, after the worker and the routes.
 */
export class NotificationStoreConnection extends DocumentStoreConnection<NotificationStore> {
	public constructor(location: StoreLocation) {
		super(location, {
			sqliteFile: SQLITE_STORE_FILE,
			openSqlite: (path) => new SqliteNotificationStore(path),
			openMongo: (url) => MongoNotificationStore.connect(url),
			closedMessage: 'The notification store is closed: the notifications plugin has stopped.'
		});
	}
}
