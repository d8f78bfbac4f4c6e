import { createClient } from '@keyv/redis';
import { closeRedisClient, connectWithin, failFastClientOptions, type RedisClient } from '#sdk';
import type { StoredRoom } from './room.js';
import { ttlOf, type RoomChange, type RoomListener, type RoomStore } from './room-store.js';

const KEY_PREFIX = 'watch-together:room:';
const CHANNEL_PREFIX = 'watch-together:room-changes:';
/** Tries of one update while other processes keep changing the same room. */
const MAX_ATTEMPTS = 20;

/**
 * Writes the new room only if the stored one is still what the update read (compare and set on the whole value),
 * with its expiry, and publishes it on the room's channel: one atomic step in Redis.
 * KEYS[1] the room, KEYS[2] its channel; ARGV[1] the value read ('' for none), ARGV[2] the new value, ARGV[3] its TTL (ms).
 */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('PUBLISH', KEYS[2], ARGV[2])
return 1
`;

/**
 * Rooms shared by every process of the bot: one key per Activity instance (JSON, with a TTL renewed by each change),
 * and one pub/sub channel per instance that carries each stored room to the processes whose members are in it.
 */
export class RedisRoomStore implements RoomStore {
	readonly #client: RedisClient;
	readonly #subscriber: RedisClient;
	readonly #listeners = new Map<string, Set<RoomListener>>();

	private constructor(client: RedisClient, subscriber: RedisClient) {
		this.#client = client;
		this.#subscriber = subscriber;
	}

	public static async connect(url: string): Promise<RedisRoomStore> {
		const client = createClient(failFastClientOptions(url));
		await connectWithin(client, url);
		const subscriber = client.duplicate();
		try {
			await connectWithin(subscriber, url);
		} catch (error) {
			await closeRedisClient(client);
			throw error;
		}
		// A dropped connection is retried by node-redis; without a listener its errors would be thrown as uncaught.
		client.on('error', () => undefined);
		subscriber.on('error', () => undefined);
		return new RedisRoomStore(client, subscriber);
	}

	public async get(instanceId: string): Promise<StoredRoom | undefined> {
		return parsed(await this.#client.get(KEY_PREFIX + instanceId));
	}

	public async update(instanceId: string, change: RoomChange): Promise<StoredRoom | undefined> {
		for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
			const raw = await this.#client.get(KEY_PREFIX + instanceId);
			const next = change(parsed(raw));
			if (next === undefined) return undefined;
			const written = await this.#client.eval(COMPARE_AND_SET, {
				keys: [KEY_PREFIX + instanceId, CHANNEL_PREFIX + instanceId],
				arguments: [raw ?? '', JSON.stringify(next), String(ttlOf(next))]
			});
			if (written === 1) return next;
		}
		throw new Error(`The room of instance ${instanceId} changed too often to update.`);
	}

	public async subscribe(instanceId: string, listener: RoomListener): Promise<() => Promise<void>> {
		let listeners = this.#listeners.get(instanceId);
		if (listeners === undefined) {
			const created = new Set<RoomListener>();
			listeners = created;
			this.#listeners.set(instanceId, created);
			await this.#subscriber.subscribe(CHANNEL_PREFIX + instanceId, (message) => {
				const room = parsed(message);
				if (room !== undefined) for (const each of created) each(room);
			});
		}
		listeners.add(listener);
		const own = listeners;
		return async () => {
			own.delete(listener);
			if (own.size > 0 || this.#listeners.get(instanceId) !== own) return;
			this.#listeners.delete(instanceId);
			await this.#subscriber.unsubscribe(CHANNEL_PREFIX + instanceId).catch(() => undefined);
		};
	}

	public async close(): Promise<void> {
		this.#listeners.clear();
		await Promise.all([closeRedisClient(this.#subscriber), closeRedisClient(this.#client)]);
	}
}

function parsed(raw: string | null | undefined): StoredRoom | undefined {
	if (raw === null || raw === undefined || raw === '') return undefined;
	try {
		return JSON.parse(raw) as StoredRoom;
	} catch {
		return undefined;
	}
}
