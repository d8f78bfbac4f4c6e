import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { UsageDetail, UsageEvent } from '#sdk';

/** At most this many distinct joiners are kept per server and day; beyond it the count shows "at least" this many. */
export const DISTINCT_JOINERS_CAP = 1000;

/** One server's counters for one UTC day, as stored. */
export const usageDaySchema = z.object({
	meetingsStarted: z.record(z.string(), z.number().int().nonnegative()),
	joins: z.number().int().nonnegative(),
	/** Hashes of the members who joined (never their ids), at most {@link DISTINCT_JOINERS_CAP}. */
	joiners: z.array(z.string()),
	videoSearches: z.number().int().nonnegative(),
	/** Videos shared in a channel; absent on days stored before shares were counted (none then). */
	videoShares: z.number().int().nonnegative().optional(),
	notificationsDelivered: z.number().int().nonnegative(),
	notificationsFailed: z.number().int().nonnegative()
});

export type UsageDay = z.output<typeof usageDaySchema>;

export function emptyUsageDay(): UsageDay {
	return { meetingsStarted: {}, joins: 0, joiners: [], videoSearches: 0, notificationsDelivered: 0, notificationsFailed: 0 };
}

/**
 * A member's hash, scoped to the server so that the same member's hashes in two servers cannot be matched. Truncated: it only
 * has to tell a day's joiners apart, and a shorter value keeps the stored day small.
 */
export function joinerHash(guildId: string, memberId: string): string {
	return createHash('sha256').update(`${guildId}:${memberId}`).digest('base64url').slice(0, 16);
}

/** The day with one more event counted. */
export function withEvent(day: UsageDay, guildId: string, event: UsageEvent, detail: UsageDetail): UsageDay {
	switch (event) {
		case 'meeting_started': {
			const type = detail.meetingType ?? 'unknown';
			return { ...day, meetingsStarted: { ...day.meetingsStarted, [type]: (day.meetingsStarted[type] ?? 0) + 1 } };
		}
		case 'meeting_joined': {
			const hash = detail.memberId === undefined ? undefined : joinerHash(guildId, detail.memberId);
			const known = hash === undefined || day.joiners.includes(hash) || day.joiners.length >= DISTINCT_JOINERS_CAP;
			return { ...day, joins: day.joins + 1, joiners: known ? day.joiners : [...day.joiners, hash] };
		}
		case 'video_searched':
			return { ...day, videoSearches: day.videoSearches + 1 };
		case 'video_shared':
			return { ...day, videoShares: (day.videoShares ?? 0) + 1 };
		case 'notification_delivered':
			return { ...day, notificationsDelivered: day.notificationsDelivered + 1 };
		case 'notification_failed':
			return { ...day, notificationsFailed: day.notificationsFailed + 1 };
	}
}
