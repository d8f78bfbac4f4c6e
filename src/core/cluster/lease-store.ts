import { createClient } from '@keyv/redis';
import { closeRedisClient, connectWithin, failFastClientOptions, type RedisClient } from '../storage/redis-connection.js';

// Compare-and-act on one key, atomic in Redis: only the holder renews or gives back what it holds
// (a holder that stalled past its lease must not delete the next holder's).
const RENEW_IF_HELD = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE_IF_HELD = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** Expiring keys held by one process at a time: the primitive under identify slots, shard leases and cluster jobs. */
export interface LeaseStore {
	/** Takes `key` for `holder` for `ttlMs` if nobody holds it; true when taken. */
	take(key: string, holder: string, ttlMs: number): Promise<boolean>;
	/** Extends `holder`'s lease; false when it no longer holds it (expired, or taken by another). */
	renew(key: string, holder: string, ttlMs: number): Promise<boolean>;
	/** Gives the lease back if `holder` still holds it. */
	release(key: string, holder: string): Promise<void>;
	/** Who holds `key` and for how much longer, or undefined when nobody does. */
	holder(key: string): Promise<{ holder: string; remainingMs: number } | undefined>;
	close(): Promise<void>;
}

/** Leases in Redis, shared by every process pointed at it, on a connection of their own. */
export class RedisLeaseStore implements LeaseStore {
	readonly #client: RedisClient;

	private constructor(client: RedisClient) {
		this.#client = client;
	}

	public static async connect(url: string): Promise<RedisLeaseStore> {
		const client = createClient(failFastClientOptions(url));
		await connectWithin(client, url);
		// Errors after connecting surface on the commands that fail; without a listener node-redis would throw them.
		client.on('error', () => undefined);
		return new RedisLeaseStore(client);
	}

	public async take(key: string, holder: string, ttlMs: number): Promise<boolean> {
		return (await this.#client.set(key, holder, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK';
	}

	public async renew(key: string, holder: string, ttlMs: number): Promise<boolean> {
		return Number(await this.#client.eval(RENEW_IF_HELD, { keys: [key], arguments: [holder, String(ttlMs)] })) === 1;
	}

	public async release(key: string, holder: string): Promise<void> {
		await this.#client.eval(RELEASE_IF_HELD, { keys: [key], arguments: [holder] });
	}

	public async holder(key: string): Promise<{ holder: string; remainingMs: number } | undefined> {
		const [holder, remainingMs] = await Promise.all([this.#client.get(key), this.#client.pTTL(key)]);
		return holder === null ? undefined : { holder, remainingMs: Math.max(0, Number(remainingMs)) };
	}

	public close(): Promise<void> {
		return closeRedisClient(this.#client);
	}
}

/** Leases for a process alone (no Redis): the same rules, so one process behaves as one member of a cluster would. */
export class LocalLeaseStore implements LeaseStore {
	readonly #leases = new Map<string, { holder: string; until: number }>();
	readonly #now: () => number;

	public constructor(now: () => number = Date.now) {
		this.#now = now;
	}

	public take(key: string, holder: string, ttlMs: number): Promise<boolean> {
		if (this.#live(key) !== undefined) return Promise.resolve(false);
		this.#leases.set(key, { holder, until: this.#now() + ttlMs });
		return Promise.resolve(true);
	}

	public renew(key: string, holder: string, ttlMs: number): Promise<boolean> {
		const lease = this.#live(key);
		if (lease?.holder !== holder) return Promise.resolve(false);
		lease.until = this.#now() + ttlMs;
		return Promise.resolve(true);
	}

	public release(key: string, holder: string): Promise<void> {
		if (this.#live(key)?.holder === holder) this.#leases.delete(key);
		return Promise.resolve();
	}

	public holder(key: string): Promise<{ holder: string; remainingMs: number } | undefined> {
		const lease = this.#live(key);
		return Promise.resolve(lease === undefined ? undefined : { holder: lease.holder, remainingMs: lease.until - this.#now() });
	}

	public close(): Promise<void> {
		this.#leases.clear();
		return Promise.resolve();
	}

	#live(key: string): { holder: string; until: number } | undefined {
		const lease = this.#leases.get(key);
		if (lease !== undefined && lease.until <= this.#now()) this.#leases.delete(key);
		return lease !== undefined && lease.until > this.#now() ? lease : undefined;
	}
}
