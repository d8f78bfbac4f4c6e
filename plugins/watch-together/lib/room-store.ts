import type { StoredRoom } from './room.js';

/** How long a room outlives its last participant: long enough for a reload or a dropped connection, short enough to free memory. */
export const IDLE_ROOM_TTL_MS = 10 * 60_000;
/** How long a room with participants is kept without any change (every change renews it). */
export const ACTIVE_ROOM_TTL_MS = 12 * 60 * 60_000;

export const ttlOf = (room: StoredRoom): number => (room.participants.length === 0 ? IDLE_ROOM_TTL_MS : ACTIVE_ROOM_TTL_MS);

/** What an update decides: the room to store (and tell every participant), or nothing to change. */
export type RoomChange = (current: StoredRoom | undefined) => StoredRoom | undefined;

export type RoomListener = (room: StoredRoom) => void;

/**
 * Where rooms live: in this process, or in Redis for every process of the bot. An update is atomic per room (two
 * processes changing one room at once both apply, one after the other), and every stored change reaches every
 * subscriber of that room, in whichever process.
 */
export interface RoomStore {
	get(instanceId: string): Promise<StoredRoom | undefined>;
	/** Applies `change` to the current room atomically; answers the room stored, or undefined when `change` changed nothing. */
	update(instanceId: string, change: RoomChange): Promise<StoredRoom | undefined>;
	/** Calls `listener` with the room after each stored change; answers the function that stops it. */
	subscribe(instanceId: string, listener: RoomListener): Promise<() => Promise<void>>;
	close(): Promise<void>;
}
