import { container } from '@sapphire/framework';
import { listGuildMeetings } from '../find-meetings.js';
import type { Meeting } from '../meeting.js';
import { meetingAction } from './meeting-refusals.js';

export interface MeetingsPage {
	readonly meetings: readonly Meeting[];
	/** Active and upcoming meetings in the guild, on every page. */
	readonly total: number;
	/** The page shown (1-based) and how many there are (at least 1). */
	readonly page: number;
	readonly pages: number;
}

/**
 * One page of the guild's active and upcoming meetings, soonest first, read from Kaltura each time (lists
 * change). When the list shrank below the page asked for (meetings ended), its last page instead of an empty one.
 */
export async function listMeetings(guildId: string, requestedPage: number, pageSize: number): Promise<MeetingsPage> {
	return meetingAction('Listing meetings', async () => {
		const index = Math.max(1, Math.floor(requestedPage));
		const first = await listGuildMeetings(container.kaltura, guildId, { size: pageSize, index });
		const pages = Math.max(1, Math.ceil(first.total / pageSize));
		if (first.meetings.length > 0 || index <= pages) return { ...first, page: index, pages };
		const last = await listGuildMeetings(container.kaltura, guildId, { size: pageSize, index: pages });
		return { ...last, page: pages, pages };
	});
}
