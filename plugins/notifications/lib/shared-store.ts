import { SqliteEventStore } from './sqlite-event-store.js';

const open = new Map<string, SqliteEventStore>();

/**
 * This process's one connection to a `notifications.sqlite` file, shared by the webhook route, the command
 * and the delivery worker (so an event and its outbox rows commit in one transaction). Opened on first
 * use; {@link closeSharedStore} closes it and the next use opens it again. Keyed by file, so bots with
 * different DATA_DIRs in one process (tests) do not share.
 */
export function sharedStore(file: string): SqliteEventStore {
	let store = open.get(file);
	if (store === undefined) {
		store = new SqliteEventStore(file);
		open.set(file, store);
	}
	return store;
}

/** Is the file open in this process (without opening it)? */
export function isSharedStoreOpen(file: string): boolean {
	return open.has(file);
}

export async function closeSharedStore(file: string): Promise<void> {
	const store = open.get(file);
	open.delete(file);
	await store?.close();
}
