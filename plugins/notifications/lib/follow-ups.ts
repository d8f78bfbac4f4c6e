import type { NotificationType } from './normalise.js';

/**
 * Events that end what an earlier event announced edit that announcement instead of posting anew: the
 * channel keeps one message per live stream or meeting, showing how it stands. Both events of a pair
 * share a subject; only the later one edits.
 */
const FOLLOW_UPS: Partial<Record<NotificationType, { readonly prefix: string; readonly editsPrevious: boolean }>> = {
	'live_stream.started': { prefix: 'live', editsPrevious: false },
	'live_stream.ended': { prefix: 'live', editsPrevious: true },
	'meeting.scheduled': { prefix: 'meeting', editsPrevious: false },
	'meeting.cancelled': { prefix: 'meeting', editsPrevious: true }
};

/** The subject of an event about `objectId` (the live entry, the schedule event), and whether it edits. */
export function followUpOf(type: NotificationType, objectId: string | null): { subject: string | null; editsPrevious: boolean } {
	const rule = FOLLOW_UPS[type];
	if (rule === undefined || objectId === null) return { subject: null, editsPrevious: false };
	return { subject: `${rule.prefix}:${objectId}`, editsPrevious: rule.editsPrevious };
}
