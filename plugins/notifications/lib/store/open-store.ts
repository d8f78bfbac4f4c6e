import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MongoNotificationStore } from './mongo-notification-store.js';
import type { NotificationStore } from './notification-store.js';
import { SqliteNotificationStore } from './sqlite-notification-store.js';

export const SQLITE_STORE_FILE = 'notifications.sqlite';

/** Where the store is: MongoDB when a URL is set, else `<DATA_DIR>/notifications.sqlite`. */
export interface StoreLocation {
	readonly DATA_DIR: string;
	readonly MONGODB_URL?: string | undefined;
}

/** The SQLite file of a data directory. */
export function sqliteStoreFile(dataDirectory: string): string {
	return join(dataDirectory, SQLITE_STORE_FILE);
}

/**
 * The plugin's one connection to its store while it runs, shared by the webhook route, the command, the API
 * and the delivery worker (with SQLite, one connection is what lets an event and its deliveries share a
 * transaction). Made by the plugin's start hook and closed by its stop hook. Opened on first use; a failed
 * opening (MongoDB down) is forgotten, so the next use tries again.
 */
export class NotificationStoreConnection {
	readonly #location: StoreLocation;
	#store: Promise<NotificationStore> | undefined;
	#closed = false;

	public constructor(location: StoreLocation) {
		this.#location = location;
	}

	public open(): Promise<NotificationStore> {
		if (this.#closed) return Promise.reject(new Error('The notification store is closed: the notifications plugin has stopped.'));
		if (this.#store !== undefined) return this.#store;
		const { DATA_DIR, MONGODB_URL } = this.#location;
		const store =
			MONGODB_URL === undefined
				? // A file that cannot be opened (unwritable directory, not a database) rejects like a MongoDB that cannot be reached.
					new Promise<NotificationStore>((resolve) => resolve(new SqliteNotificationStore(sqliteStoreFile(DATA_DIR))))
				: MongoNotificationStore.connect(MONGODB_URL);
		this.#store = store;
		store.catch(() => {
			if (this.#store === store) this.#store = undefined;
		});
		return store;
	}

	/**
	 * The store if it exists, without creating it: an SQLite file is only made by the first subscription or
	 * notification, so a bot that never gets one leaves no file behind. A MongoDB store always exists.
	 */
	public existing(): Promise<NotificationStore | undefined> {
		const { DATA_DIR, MONGODB_URL } = this.#location;
		if (MONGODB_URL === undefined && this.#store === undefined && !existsSync(sqliteStoreFile(DATA_DIR))) return Promise.resolve(undefined);
		return this.open();
	}

	/** Closes the connection; any later use is refused (the worker and the routes are stopped first). */
	public async close(): Promise<void> {
		this.#closed = true;
		const store = this.#store;
		this.#store = undefined;
		await (await store?.catch(() => undefined))?.close();
	}
}
