import type { UsageDetail, UsageEvent } from '#sdk';
import { joinerHash, type UsageDay } from '../usage-day.js';

/** The plain counters of a day, each one number per server and day. */
export const PLAIN_COUNTERS = ['joins', 'videoSearches', 'videoShares', 'notificationsDelivered', 'notificationsFailed'] as const;
export type PlainCounter = (typeof PLAIN_COUNTERS)[number];

/** One event to count: one counter of the server's day goes up by one. */
export type UsageCount =
	| { readonly guildId: string; readonly day: string; readonly counter: 'meetingsStarted'; readonly meetingType: string }
	/** `joiner`: for joins, the member's hash, kept among the day's distinct joiners while they are fewer than the cap. */
	| { readonly guildId: string; readonly day: string; readonly counter: PlainCounter; readonly joiner?: string };

/**
 * Each server's usage per UTC day (`YYYY-MM-DD`), in the document store. Every count is one atomic write in the store
 * itself (an upsert that adds one), never a read and a write, so several bot processes sharing the store lose no count.
 */
export interface UsageDayStore {
	readonly kind: 'sqlite' | 'mongodb';
	/** Adds one to the day's counter (creating the day), and keeps the joiner's hash if the day has fewer than `joinersCap`. */
	count(count: UsageCount, joinersCap: number): Promise<void>;
	/** The server's days from `fromDay` to `toDay` (both included) that have anything counted, by day. */
	read(guildId: string, fromDay: string, toDay: string): Promise<Map<string, UsageDay>>;
	/** Deletes every day of the server; answers how many days were deleted. */
	forget(guildId: string): Promise<number>;
	/** Deletes the days of every server before `beforeDay`; answers how many days were deleted. */
	sweep(beforeDay: string): Promise<number>;
	close(): Promise<void>;
}

/**
 * A meeting type as stored: it becomes a field name in MongoDB, so anything but a short plain name (the bot's own types are)
 * is counted as `other`; a missing one as `unknown`, as before.
 */
export function storedMeetingType(type: string | undefined): string {
	if (type === undefined) return 'unknown';
	return /^[A-Za-z0-9_-]{1,40}$/.test(type) ? type : 'other';
}

/** What the event counts on the server's day; the member's id is hashed here and never goes further. */
export function usageCountOf(guildId: string, day: string, event: UsageEvent, detail: UsageDetail): UsageCount {
	switch (event) {
		case 'meeting_started':
			return { guildId, day, counter: 'meetingsStarted', meetingType: storedMeetingType(detail.meetingType) };
		case 'meeting_joined':
			return { guildId, day, counter: 'joins', ...(detail.memberId === undefined ? {} : { joiner: joinerHash(guildId, detail.memberId) }) };
		case 'video_searched':
			return { guildId, day, counter: 'videoSearches' };
		case 'video_shared':
			return { guildId, day, counter: 'videoShares' };
		case 'notification_delivered':
			return { guildId, day, counter: 'notificationsDelivered' };
		case 'notification_failed':
			return { guildId, day, counter: 'notificationsFailed' };
	}
}
