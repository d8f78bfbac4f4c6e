import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where documents are kept: MongoDB when a URL is set, else an SQLite file under `DATA_DIR`. */
export interface DocumentStoreLocation {
	readonly DATA_DIR: string;
	readonly MONGODB_URL?: string | undefined;
}

/** How a plugin's store is opened on each backend. */
export interface DocumentStoreOpeners<Store> {
	/** The SQLite file's name in `DATA_DIR`. */
	readonly sqliteFile: string;
	/** Opens the SQLite file; may throw (not a database, a directory that cannot be written). */
	readonly openSqlite: (path: string) => Store;
	readonly openMongo: (url: string) => Promise<Store>;
	/** The refusal of a use after `close`, naming the store and why it is closed. */
	readonly closedMessage: string;
}

/**
 * A plugin's one connection to its document store while it runs. Opened on first use; a failed opening (MongoDB down, a
 * file that cannot be opened) is forgotten, so the next use tries again. `existing` never creates the SQLite file, so a
 * bot that never stores anything there leaves no file behind.
 */
export class DocumentStoreConnection<Store extends { close(): Promise<void> }> {
	readonly #location: DocumentStoreLocation;
	readonly #openers: DocumentStoreOpeners<Store>;
	#store: Promise<Store> | undefined;
	#closed = false;

	public constructor(location: DocumentStoreLocation, openers: DocumentStoreOpeners<Store>) {
		this.#location = location;
		this.#openers = openers;
	}

	/** `<DATA_DIR>/<file>`, whether or not it exists. */
	public get sqlitePath(): string {
		return join(this.#location.DATA_DIR, this.#openers.sqliteFile);
	}

	public open(): Promise<Store> {
		if (this.#closed) return Promise.reject(new Error(this.#openers.closedMessage));
		if (this.#store !== undefined) return this.#store;
		const { MONGODB_URL } = this.#location;
		const store =
			MONGODB_URL === undefined
				? // A file that cannot be opened rejects like a MongoDB that cannot be reached.
					new Promise<Store>((resolve) => resolve(this.#openers.openSqlite(this.sqlitePath)))
				: this.#openers.openMongo(MONGODB_URL);
		this.#store = store;
		store.catch(() => {
			if (this.#store === store) this.#store = undefined;
		});
		return store;
	}

	/** The store if it exists, without creating it: undefined while the SQLite file has not been made. A MongoDB store always exists. */
	public existing(): Promise<Store | undefined> {
		if (this.#location.MONGODB_URL === undefined && this.#store === undefined && !existsSync(this.sqlitePath)) return Promise.resolve(undefined);
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
