import { join } from 'node:path';

export const EVENT_STORE_FILE = 'notifications.sqlite';

/** Where the SQLite event store lives: `<DATA_DIR>/notifications.sqlite`. */
export function eventStoreFile(dataDirectory: string): string {
	return join(dataDirectory, EVENT_STORE_FILE);
}
