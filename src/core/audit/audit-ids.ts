import { randomBytes } from 'node:crypto';

/** Entries of one millisecond in this process, so ids made in the same millisecond still sort in order. */
let sequence = 0;

/**
 * An entry id that sorts like the entry's time: 12 hex digits of milliseconds, 4 of a per-process
 * sequence, 6 random (ids made by two instances in one millisecond do not collide). So "older than
 * this id" is one comparison, whichever store keeps the entries, and the id alone is a page cursor.
 */
export function newAuditId(at: number): string {
	sequence = (sequence + 1) % 0x1_00_00;
	return `${Math.max(0, Math.floor(at)).toString(16).padStart(12, '0')}${sequence.toString(16).padStart(4, '0')}${randomBytes(3).toString('hex')}`;
}

export const AUDIT_ID = /^[0-9a-f]{22}$/;

/** The time an id was made at (its first 12 hex digits). */
export function timeOfAuditId(id: string): number {
	return Number.parseInt(id.slice(0, 12), 16);
}
