import type { Room } from './types.js';

/** Beyond this drift the player jumps; below it the playback rate nudges it back. */
export const SEEK_THRESHOLD_S = 0.5;
/** Drift small enough to leave alone. */
export const TOLERANCE_S = 0.05;
/** How much faster or slower than normal the player runs while catching up. */
export const RATE_NUDGE = 0.05;

/** Where the room's playback is at server time `serverNow`, in seconds (never past the entry's end when known). */
export function expectedPosition(room: Room, serverNow: number, duration = Number.POSITIVE_INFINITY): number {
	const elapsed = room.playing ? Math.max(0, serverNow - room.at) / 1000 : 0;
	return Math.min(Math.max(0, room.position + elapsed), duration);
}

/** What the player should do to follow the room. */
export type Correction = { readonly kind: 'seek'; readonly to: number } | { readonly kind: 'rate'; readonly rate: number };

/**
 * The correction for a player at `currentTime` when the room expects `expected`: a jump when far off, a slightly
 * faster or slower rate when a little off, normal speed otherwise. A paused player cannot catch up by rate, so it
 * jumps as soon as it is off by more than the tolerance.
 */
export function correctionFor(currentTime: number, expected: number, playing: boolean): Correction {
	const drift = expected - currentTime;
	const size = Math.abs(drift);
	if (size > SEEK_THRESHOLD_S || (!playing && size > TOLERANCE_S)) return { kind: 'seek', to: expected };
	if (size > TOLERANCE_S) return { kind: 'rate', rate: 1 + Math.sign(drift) * RATE_NUDGE };
	return { kind: 'rate', rate: 1 };
}
