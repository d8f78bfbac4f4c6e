import KeyvRedis from '@keyv/redis';
import type { KeyvRedisOptions, RedisClientConnectionType } from '@keyv/redis';
import { REDIS_FAIL_FAST_MS, describeRedisUrl, messageOf, waitUntilReady } from './redis-connection.js';
import type { RedisClient } from './redis-connection.js';

/**
 * The @keyv/redis adapter with outages reported as errors that name the server.
 *
 * The adapter (5.1) already rejects when its first connect fails (throwOnConnectError), but with a
 * fixed message and no cause; a command issued while an established connection is being restored
 * fails, if at all, with node-redis's message-less TimeoutError; and clear() swallows every error.
 * Every adapter operation starts with getClient(), which makes it the one place to fix the first two.
 */
export class FailFastKeyvRedis<Value> extends KeyvRedis<Value> {
	readonly #redis: RedisClient;
	readonly #url: string;
	#lastSocketError: unknown;

	public constructor(client: RedisClient, url: string, options: Omit<KeyvRedisOptions, 'throwOnConnectError' | 'connectionTimeout'>) {
		super(client, { ...options, throwOnConnectError: true, connectionTimeout: REDIS_FAIL_FAST_MS });
		this.#redis = client;
		this.#url = url;
		// Remembered so a failed connect can say why (refused, DNS, TLS) rather than just that it failed.
		client.on('error', (error: unknown) => {
			this.#lastSocketError = error;
		});
	}

	public override async getClient(): Promise<RedisClientConnectionType> {
		let client: RedisClientConnectionType;
		try {
			client = await super.getClient();
		} catch (error) {
			const cause = this.#lastSocketError ?? error;
			throw new Error(`Cannot connect to Redis at ${describeRedisUrl(this.#url)}: ${messageOf(cause)}`, { cause });
		}
		await waitUntilReady(this.#redis, this.#url);
		return client;
	}

	/**
	 * The adapter's clear() reports failures only as 'error' events and then resolves, so a cache that
	 * was not cleared would look cleared. Errors reported while it runs are turned into a rejection;
	 * the last one is the error that ended the clear, earlier ones are retries that led up to it.
	 */
	public override async clear(): Promise<void> {
		let failure: unknown;
		const captureFailure = (error: unknown) => {
			failure = error;
		};
		this.on('error', captureFailure);
		try {
			await super.clear();
		} finally {
			this.off('error', captureFailure);
		}
		if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
	}
}
