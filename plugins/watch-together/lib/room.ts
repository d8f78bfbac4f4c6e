/** What every participant sees of a room (the contract's Room). */
export interface Room {
	readonly instanceId: string;
	readonly entryId: string | null;
	readonly playing: boolean;
	/** Seconds into the video at `at`. */
	readonly position: number;
	/** Server time (ms) of `position`. */
	readonly at: number;
	readonly controllerId: string;
	/** Increments with every change. */
	readonly rev: number;
	readonly participants: readonly string[];
}

/** A room as stored: the public room, and how many sockets each participant has open (a member may watch on two devices). */
export interface StoredRoom extends Room {
	readonly sockets: Readonly<Record<string, number>>;
}

export type ControlAction = 'play' | 'pause' | 'seek' | 'load' | 'handoff';

export interface Control {
	readonly action: ControlAction;
	readonly position?: number;
	readonly entryId?: string;
	readonly to?: string;
}

/** Where the video is at `now` by the room's clock. */
export function positionAt(room: Room, now: number): number {
	return room.position + (room.playing ? Math.max(0, now - room.at) / 1000 : 0);
}

export function newRoom(instanceId: string, controllerId: string, entryId: string | null, now: number): StoredRoom {
	return { instanceId, entryId, playing: false, position: 0, at: now, controllerId, rev: 0, participants: [], sockets: {} };
}

export function publicRoom(room: StoredRoom): Room {
	const { sockets: _sockets, ...shown } = room;
	return shown;
}

/** One more socket of `userId` in the room. */
export function joined(room: StoredRoom, userId: string): StoredRoom {
	const sockets = { ...room.sockets, [userId]: (room.sockets[userId] ?? 0) + 1 };
	return { ...room, sockets, participants: Object.keys(sockets), rev: room.rev + 1 };
}

/** One socket of `userId` fewer; the member leaves the list with their last one. Control stays where it is: a reload is not a handoff. */
export function left(room: StoredRoom, userId: string): StoredRoom {
	const count = (room.sockets[userId] ?? 0) - 1;
	const sockets = { ...room.sockets };
	if (count > 0) sockets[userId] = count;
	else delete sockets[userId];
	return { ...room, sockets, participants: Object.keys(sockets), rev: room.rev + 1 };
}

/**
 * The room after a control, or a reason it does not apply. Whether the sender may control at all is decided before
 * (the controller, or a moderator); this checks the control itself.
 */
export function applyControl(room: StoredRoom, control: Control, now: number): StoredRoom | { readonly refused: string } {
	const current = positionAt(room, now);
	const next = { rev: room.rev + 1, at: now };
	switch (control.action) {
		case 'play':
			if (room.entryId === null) return { refused: 'no_video' };
			return { ...room, ...next, playing: true, position: control.position ?? current };
		case 'pause':
			if (room.entryId === null) return { refused: 'no_video' };
			return { ...room, ...next, playing: false, position: control.position ?? current };
		case 'seek':
			if (room.entryId === null) return { refused: 'no_video' };
			if (control.position === undefined) return { refused: 'invalid_control' };
			return { ...room, ...next, position: control.position };
		case 'load':
			if (control.entryId === undefined) return { refused: 'invalid_control' };
			return { ...room, ...next, entryId: control.entryId, playing: false, position: 0 };
		case 'handoff':
			if (control.to === undefined || !room.participants.includes(control.to)) return { refused: 'not_participant' };
			return { ...room, rev: room.rev + 1, controllerId: control.to };
	}
}
