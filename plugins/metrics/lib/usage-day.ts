import { createHash } from 'node:crypto';

/** At most this many distinct joiners are kept per server and day; beyond it the count shows "at least" this many. */
export const DISTINCT_JOINERS_CAP = 1000;

/** One server's counters for one UTC day, as the usage stores read it back. */
export interface UsageDay {
	/** Meetings started, by meeting type. */
	meetingsStarted: Record<string, number>;
	joins: number;
	/** Hashes of the members who joined (never their ids), at most {@link DISTINCT_JOINERS_CAP}. */
	joiners: string[];
	videoSearches: number;
	/** Videos shared in a channel; absent on days stored before shares were counted (none then). */
	videoShares?: number;
	notificationsDelivered: number;
	notificationsFailed: number;
}

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
