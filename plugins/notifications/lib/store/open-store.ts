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

/** Asked on every webhook: the key of a location (an environment object, which does not change) is worked out once. */
const keys = new WeakMap<StoreLocation, string>();

function keyOf(location: StoreLocation): string {
	let key = keys.get(location);
	if (key === undefined) {
		key = location.MONGODB_URL === undefined ? `sqlite:${sqliteStoreFile(location.DATA_DIR)}` : `mongodb:${location.MONGODB_URL}`;
		keys.set(location, key);
	}
	return key;
}

const open = new Map<string, Promise<NotificationStore>>();

/**
 * This process's one connection to the store, shared by the webhook route, the command, the API and the
 * delivery worker (with SQLite, one connection is what lets an event and its deliveries share a
 * transaction). Opened on first use; a failed opening (MongoDB down) is forgotten, so the next use tries
 * again. Keyed by location, so bots with different DATA_DIRs in one process (tests) do not share.
 */
export function notificationStore(location: StoreLocation): Promise<NotificationStore> {
	const key = keyOf(location);
	let store = open.get(key);
	if (store === undefined) {
		store =
			location.MONGODB_URL === undefined
				? // A file that cannot be opened (unwritable directory, not a database) rejects like a MongoDB that cannot be reached.
					new Promise<NotificationStore>((resolve) => resolve(new SqliteNotificationStore(sqliteStoreFile(location.DATA_DIR))))
				: MongoNotificationStore.connect(location.MONGODB_URL);
		open.set(key, store);
		store.catch(() => {
			if (open.get(key) === store) open.delete(key);
		});
	}
	return store;
}

/**
 * The store if it exists, without creating it: an SQLite file is only made by the first subscription or
 * notification, so a bot that never gets one leaves no file behind. A MongoDB store always exists.
 */
export function existingNotificationStore(location: StoreLocation): Promise<NotificationStore | undefined> {
	if (location.MONGODB_URL === undefined && !open.has(keyOf(location)) && !existsSync(sqliteStoreFile(location.DATA_DIR)))
		return Promise.resolve(undefined);
	return notificationStore(location);
}

export async function closeNotificationStore(location: StoreLocation): Promise<void> {
	const key = keyOf(location);
	const store = open.get(key);
	open.delete(key);
	await (await store?.catch(() => undefined))?.close();
}
