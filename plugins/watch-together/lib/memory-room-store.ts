import type { StoredRoom } from './room.js';
import { ttlOf, type RoomChange, type RoomListener, type RoomStore } from './room-store.js';

/** Rooms of this process only (no REDIS_URL): a map, one expiry timer per room, listeners called in the updating call. */
export class MemoryRoomStore implements RoomStore {
	readonly #rooms = new Map<string, { room: StoredRoom; expiry: NodeJS.Timeout }>();
	readonly #listeners = new Map<string, Set<RoomListener>>();
	readonly #ttl: (room: StoredRoom) => number;

	/** `ttl`: how long a room is kept after its last change (tests shorten it). */
	public constructor(ttl: (room: StoredRoom) => number = ttlOf) {
		this.#ttl = ttl;
	}

	public get(instanceId: string): Promise<StoredRoom | undefined> {
		return Promise.resolve(this.#rooms.get(instanceId)?.room);
	}

	/** Synchronous inside: nothing else runs between the read and the write, so the update is atomic. */
	public update(instanceId: string, change: RoomChange): Promise<StoredRoom | undefined> {
		const stored = this.#rooms.get(instanceId);
		const next = change(stored?.room);
		if (next === undefined) return Promise.resolve(undefined);
		if (stored !== undefined) clearTimeout(stored.expiry);
		const expiry = setTimeout(() => this.#rooms.delete(instanceId), this.#ttl(next));
		expiry.unref();
		this.#rooms.set(instanceId, { room: next, expiry });
		for (const listener of this.#listeners.get(instanceId) ?? []) listener(next);
		return Promise.resolve(next);
	}

	public subscribe(instanceId: string, listener: RoomListener): Promise<() => Promise<void>> {
		const listeners = this.#listeners.get(instanceId) ?? new Set();
		listeners.add(listener);
		this.#listeners.set(instanceId, listeners);
		return Promise.resolve(() => {
			listeners.delete(listener);
			if (listeners.size === 0) this.#listeners.delete(instanceId);
			return Promise.resolve();
		});
	}

	public close(): Promise<void> {
		for (const { expiry } of this.#rooms.values()) clearTimeout(expiry);
		this.#rooms.clear();
		this.#listeners.clear();
		return Promise.resolve();
	}
}
