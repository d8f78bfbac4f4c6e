import { type createClient } from '@keyv/redis';
import type { RedisClientOptions } from '@keyv/redis';

/**
 * Connection settings shared by every Redis client the bot opens (Keyv stores and the invalidation
 * bus), so that "Redis is down" looks the same everywhere: an error within a second and a half,
 * never a promise that stays pending while node-redis retries in the background.
 */

/** Upper bound for connecting and for a command waiting to be sent; long enough for a Redis restart blip. */
export const REDIS_FAIL_FAST_MS = 1500;

/** Back-off after an established connection drops; capped so a recovered Redis is picked up quickly. */
const MAX_RECONNECT_DELAY_MS = 2000;

export type RedisClient = ReturnType<typeof createClient>;

export function failFastClientOptions(url: string): RedisClientOptions {
	return {
		url,
		socket: {
			// Per attempt: a host that silently drops packets would otherwise cost the OS TCP timeout (minutes).
			connectTimeout: REDIS_FAIL_FAST_MS,
			reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS)
		},
		// node-redis queues commands while it reconnects and, by default, waits forever for the connection
		// to come back. This timeout applies only while a command is still queued, so it turns an outage into
		// a rejected promise without cutting short a slow reply from a healthy server.
		commandOptions: { timeout: REDIS_FAIL_FAST_MS }
	};
}

/** The URL without its password, for error messages that end up in logs. */
export function describeRedisUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return '(unparseable Redis URL)';
	}
}

/**
 * Connects, or rejects after `timeoutMs` with the last socket error as the cause. node-redis's own
 * connect() keeps retrying an unreachable server and only settles once it answers, so the deadline
 * has to come from here; the client is destroyed on failure so its retry loop stops.
 */
export async function connectWithin(client: RedisClient, url: string, timeoutMs = REDIS_FAIL_FAST_MS): Promise<void> {
	let lastSocketError: unknown;
	const rememberError = (error: unknown) => {
		lastSocketError = error;
	};
	client.on('error', rememberError);
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
	});
	try {
		await Promise.race([client.connect(), deadline]);
	} catch (error) {
		if (client.isOpen) client.destroy();
		const cause = lastSocketError ?? error;
		throw new Error(`Cannot connect to Redis at ${describeRedisUrl(url)}: ${messageOf(cause)}`, { cause });
	} finally {
		clearTimeout(timer);
		client.off('error', rememberError);
	}
}

const pendingReadiness = new WeakMap<RedisClient, Promise<void>>();

/**
 * Resolves once a client that lost its connection has it back, or rejects after `timeoutMs` with a
 * message naming the server. Without this, a command sent during an outage sits in node-redis's
 * offline queue and fails with a TimeoutError whose message is empty, which says nothing in a log.
 * Concurrent callers share one wait so an outage under load does not pile up 'ready' listeners.
 */
export async function waitUntilReady(client: RedisClient, url: string, timeoutMs = REDIS_FAIL_FAST_MS): Promise<void> {
	if (client.isReady) return;
	// Nothing is reconnecting a closed client, so there is nothing to wait for.
	if (!client.isOpen) throw new Error(`The client for Redis at ${describeRedisUrl(url)} is closed`);
	let pending = pendingReadiness.get(client);
	if (!pending) {
		pending = readyOrTimeout(client, url, timeoutMs).finally(() => pendingReadiness.delete(client));
		pendingReadiness.set(client, pending);
	}
	return pending;
}

async function readyOrTimeout(client: RedisClient, url: string, timeoutMs: number): Promise<void> {
	let lastSocketError: unknown;
	const rememberError = (error: unknown) => {
		lastSocketError = error;
	};
	let onReady: (() => void) | undefined;
	let timer: NodeJS.Timeout | undefined;
	try {
		await new Promise<void>((resolve, reject) => {
			onReady = resolve;
			client.on('ready', onReady);
			client.on('error', rememberError);
			timer = setTimeout(() => {
				const reason = lastSocketError === undefined ? `no connection within ${timeoutMs} ms` : messageOf(lastSocketError);
				reject(new Error(`Redis at ${describeRedisUrl(url)} is unreachable: ${reason}`, { cause: lastSocketError }));
			}, timeoutMs);
		});
	} finally {
		clearTimeout(timer);
		if (onReady) client.off('ready', onReady);
		client.off('error', rememberError);
	}
}

/**
 * Closes a client without hanging. A connected client gets a graceful close so replies already on
 * the wire are delivered; a client that is reconnecting has nobody to wait for, and close() would
 * wait for its queued commands forever, so it is destroyed instead.
 */
export async function closeRedisClient(client: RedisClient): Promise<void> {
	if (!client.isOpen) return;
	if (client.isReady) await client.close();
	else client.destroy();
}

export function messageOf(error: unknown): string {
	if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(messageOf).join('; ');
	if (error instanceof Error) return error.message || error.name;
	return String(error);
}
