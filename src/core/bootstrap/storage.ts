import type Keyv from 'keyv';
import type { Logger } from '../logger.js';
import { keyvStorageStep, startupStep, type StartupStep } from '../startup-failure.js';
import { createInvalidationBus, type InvalidationBus } from '../storage/invalidation-bus.js';
import { closeKeyv, createKeyv, type KeyvBackend } from '../storage/keyv-factory.js';
import { describeRedisUrl } from '../storage/redis-connection.js';

/** The process's key-value storage: one Keyv per namespace, and the bus that tells other processes of changes. */
export interface BotStorage {
	/** The namespace's store; the caller names the type of what it keeps there (Keyv does not check values). */
	openStore<Value>(namespace: string): Keyv<Value>;
	readonly bus: InvalidationBus;
	/** Closes the bus and every store opened. */
	close(): Promise<void>;
}

/**
 * Opens the storage and proves it usable: a store that cannot be opened or written stops the start here,
 * naming the file or server, rather than at the first command.
 */
export async function openBotStorage(backend: KeyvBackend, logger: Logger): Promise<BotStorage> {
	const onStorageError = (error: unknown) => logger.warn('Storage error:', { error });
	// One Keyv per namespace for the whole process: a second open would, on the memory backend, be a second empty store.
	const stores = new Map<string, Keyv<unknown>>();
	const openStore = <Value>(namespace: string): Keyv<Value> => {
		let keyv = stores.get(namespace);
		if (keyv === undefined) stores.set(namespace, (keyv = createKeyv<unknown>(backend, namespace, { onError: onStorageError })));
		// Keyv keeps whatever it is given and checks nothing on read, so a namespace's value type is its owner's
		// word, as it is for createKeyv<Value> itself; one cache serves every namespace, hence the one assertion.
		return keyv as Keyv<Value>;
	};
	const storageStep = keyvStorageStep(backend.kind === 'redis' ? { ...backend, display: describeRedisUrl(backend.url) } : backend);
	const bus: InvalidationBus = await startupStep(storageStep, () =>
		createInvalidationBus(backend.kind === 'redis' ? { REDIS_URL: backend.url } : {}, { onError: onStorageError })
	);
	await probeStore(openStore<string>('command-registrations'), storageStep);
	return {
		openStore,
		bus,
		close: async () => {
			await bus.close();
			await Promise.all([...stores.values()].map((store) => closeKeyv(store)));
		}
	};
}

/** Writes and deletes one entry, so a store that opens but cannot be written fails at start too. */
async function probeStore(store: Keyv<string>, step: StartupStep): Promise<void> {
	await startupStep(step, async () => {
		await store.set('startup-probe', String(Date.now()), 60_000);
		await store.delete('startup-probe');
	});
}
