import { join } from 'node:path';
import { Keyv } from 'keyv';
import { createClient } from '@keyv/redis';
import { FailFastKeyvRedis } from './fail-fast-keyv-redis.js';
import { closeRedisClient, failFastClientOptions } from './redis-connection.js';
import { SqliteKeyvStore } from './sqlite-keyv-store.js';

/**
 * One place that decides where key/value data lives. Callers ask for a namespace and get a Keyv;
 * whether that Keyv talks to Redis, a SQLite file or process memory is configuration.
 */

export type KeyvBackend = { kind: 'memory' } | { kind: 'sqlite'; file: string } | { kind: 'redis'; url: string };

export interface CreateKeyvOptions {
	/** Receives every error the store reports. Operations still reject on their own. */
	readonly onError?: (error: unknown) => void;
}

/** A shared Redis lets several bot processes see the same data; without one, a local file keeps it across restarts. */
export function backendFromEnvironment(env: { REDIS_URL?: string | undefined; DATA_DIR: string }): KeyvBackend {
	if (env.REDIS_URL) return { kind: 'redis', url: env.REDIS_URL };
	return { kind: 'sqlite', file: join(env.DATA_DIR, 'keyv.sqlite') };
}

/**
 * Namespaces end up inside Redis SCAN globs (`*`, `?`, `[`) and SQLite key ranges (`ns:` up to `ns;`),
 * and Keyv separates namespace and key with `:`.
 * Restricting them to lower-case letters, digits, `-` and `.` means clear() on one namespace can
 * never match the keys of another.
 */
const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9.-]*$/;

/** How closeKeyv releases the connection behind a Keyv made here; Keyv itself does not expose it uniformly. */
const closers = new WeakMap<Keyv<unknown>, () => Promise<void>>();

export function createKeyv<Value>(backend: KeyvBackend, namespace: string, options: CreateKeyvOptions = {}): Keyv<Value> {
	if (!NAMESPACE_PATTERN.test(namespace)) {
		throw new Error(`Invalid Keyv namespace ${JSON.stringify(namespace)}: use lower-case letters, digits, '-' and '.'`);
	}
	const opened = openKeyv<Value>(backend, namespace);
	// Keyv re-emits store errors as 'error' events. Its own emitter ignores unheard events, but the
	// listener is attached regardless: the caller's handler is where outages get logged, and
	// operations already reject (throwOnErrors), so swallowing here loses nothing.
	opened.keyv.on('error', options.onError ?? ignoreError);
	closers.set(opened.keyv, opened.close);
	return opened.keyv;
}

/** Releases the Redis connection or SQLite handle so shutdown and tests leave nothing open. */
export async function closeKeyv(keyv: Keyv<unknown>): Promise<void> {
	const close = closers.get(keyv);
	closers.delete(keyv);
	if (close) await close();
	else await keyv.disconnect();
}

interface OpenedKeyv<Value> {
	readonly keyv: Keyv<Value>;
	readonly close: () => Promise<void>;
}

function openKeyv<Value>(backend: KeyvBackend, namespace: string): OpenedKeyv<Value> {
	switch (backend.kind) {
		case 'memory':
			return openMemoryKeyv(namespace);
		case 'sqlite':
			return openSqliteKeyv(backend.file, namespace);
		case 'redis':
			return openRedisKeyv(backend.url, namespace);
	}
}

function openMemoryKeyv<Value>(namespace: string): OpenedKeyv<Value> {
	// A Map per Keyv: Keyv's clear() on a Map store empties the whole Map, so sharing one between
	// namespaces would let one namespace's clear() wipe the others.
	const keyv = new Keyv<Value>({ store: new Map(), namespace, throwOnErrors: true });
	return { keyv, close: async () => {} };
}

function openSqliteKeyv<Value>(file: string, namespace: string): OpenedKeyv<Value> {
	// Namespaces on one file share its connection; a file that cannot be opened makes every operation reject.
	const store = new SqliteKeyvStore(file);
	const keyv = new Keyv<Value>({ store, namespace, throwOnErrors: true });
	return { keyv, close: () => store.disconnect() };
}

function openRedisKeyv<Value>(url: string, namespace: string): OpenedKeyv<Value> {
	const client = createClient(failFastClientOptions(url));
	// @keyv/redis defaults favour availability over visibility: a failed command emits 'error' and
	// resolves as a miss (undefined/false), so an outage would look like an empty cache. Here it must
	// reject, and soon:
	// - throwOnErrors (adapter and Keyv) makes failed commands reject;
	// - FailFastKeyvRedis bounds the first connect and any reconnect wait to REDIS_FAIL_FAST_MS and
	//   names the server in the error (see that class for what the adapter does on its own);
	// - the client's command timeout (failFastClientOptions) is the backstop for a command queued
	//   just as the connection drops.
	const store = new FailFastKeyvRedis<Value>(client, url, { namespace, throwOnErrors: true });
	// The adapter prefixes keys with its namespace itself; Keyv's own prefix on top would store `ns::ns:key`.
	const keyv = new Keyv<Value>({ store, namespace, useKeyPrefix: false, throwOnErrors: true });
	return { keyv, close: async () => closeRedisClient(client) };
}

function ignoreError(): void {}
