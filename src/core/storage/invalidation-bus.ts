import { EventEmitter } from 'node:events';
import { createClient } from '@keyv/redis';
import { closeRedisClient, connectWithin, failFastClientOptions } from './redis-connection.js';
import type { RedisClient } from './redis-connection.js';

/**
 * Tells every running instance of the bot that something it may have cached has changed. Messages
 * are fire-and-forget hints (typically a key to drop), not data: a subscriber that misses one while
 * disconnected serves a stale cache entry until it expires, it does not lose a write.
 */
export interface InvalidationBus {
	/** Delivers to every subscriber of the channel, including those of the publishing instance. */
	publish(channel: string, message: string): Promise<void>;
	subscribe(channel: string, handler: (message: string) => void): Promise<void>;
	close(): Promise<void>;
}

export interface InvalidationBusOptions {
	/** Receives connection errors and errors thrown by handlers; neither may take the process down. */
	readonly onError?: (error: unknown) => void;
}

/** For a single process: the only subscribers that could hold a stale cache live in this process. */
export class LocalInvalidationBus implements InvalidationBus {
	readonly #emitter = new EventEmitter();
	readonly #onError: (error: unknown) => void;
	#closed = false;

	public constructor(options: InvalidationBusOptions = {}) {
		this.#onError = options.onError ?? ignoreError;
		// Every cache in the bot may subscribe to the same channel; that is not a leak.
		this.#emitter.setMaxListeners(0);
	}

	public async publish(channel: string, message: string): Promise<void> {
		this.#assertOpen();
		this.#emitter.emit(channel, message);
	}

	public async subscribe(channel: string, handler: (message: string) => void): Promise<void> {
		this.#assertOpen();
		// A throwing handler must not reach the publisher (EventEmitter would rethrow into emit())
		// nor keep the remaining handlers from running, which is what the Redis bus does too.
		this.#emitter.on(channel, (message: string) => runHandler(handler, message, this.#onError));
	}

	public async close(): Promise<void> {
		this.#closed = true;
		this.#emitter.removeAllListeners();
	}

	#assertOpen(): void {
		if (this.#closed) throw new Error('The invalidation bus is closed');
	}
}

/**
 * For several processes sharing one Redis. A Redis connection in subscriber mode cannot publish,
 * so each instance holds two connections.
 */
export class RedisInvalidationBus implements InvalidationBus {
	readonly #publisher: RedisClient;
	readonly #subscriber: RedisClient;
	readonly #onError: (error: unknown) => void;
	#closed = false;

	private constructor(publisher: RedisClient, subscriber: RedisClient, onError: (error: unknown) => void) {
		this.#publisher = publisher;
		this.#subscriber = subscriber;
		this.#onError = onError;
	}

	/** Rejects within a couple of seconds when Redis cannot be reached, rather than waiting for it to appear. */
	public static async connect(url: string, options: InvalidationBusOptions = {}): Promise<RedisInvalidationBus> {
		const onError = options.onError ?? ignoreError;
		const publisher = createClient(failFastClientOptions(url));
		const subscriber = publisher.duplicate();
		// node-redis clients are EventEmitters: an 'error' event nobody listens to is thrown and ends the
		// process. Connection errors are expected during an outage and the clients reconnect on their own.
		publisher.on('error', onError);
		subscriber.on('error', onError);
		const connections = await Promise.allSettled([connectWithin(publisher, url), connectWithin(subscriber, url)]);
		const failure = connections.find((outcome) => outcome.status === 'rejected');
		if (failure) {
			await Promise.all([closeRedisClient(publisher), closeRedisClient(subscriber)]);
			throw failure.reason;
		}
		return new RedisInvalidationBus(publisher, subscriber, onError);
	}

	public async publish(channel: string, message: string): Promise<void> {
		this.#assertOpen();
		await this.#publisher.publish(channel, message);
	}

	public async subscribe(channel: string, handler: (message: string) => void): Promise<void> {
		this.#assertOpen();
		// node-redis calls listeners while parsing the reply stream; a throw there would surface far from its cause.
		await this.#subscriber.subscribe(channel, (message: string) => runHandler(handler, message, this.#onError));
	}

	public async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await Promise.all([closeRedisClient(this.#publisher), closeRedisClient(this.#subscriber)]);
	}

	#assertOpen(): void {
		if (this.#closed) throw new Error('The invalidation bus is closed');
	}
}

/** Redis when the bot is configured to share state between processes, otherwise in-process delivery. */
export async function createInvalidationBus(env: { REDIS_URL?: string | undefined }, options: InvalidationBusOptions = {}): Promise<InvalidationBus> {
	if (env.REDIS_URL) return RedisInvalidationBus.connect(env.REDIS_URL, options);
	return new LocalInvalidationBus(options);
}

function runHandler(handler: (message: string) => void, message: string, onError: (error: unknown) => void): void {
	try {
		handler(message);
	} catch (error) {
		onError(error);
	}
}

function ignoreError(): void {}
