import type { AuditSource } from '#sdk';
import { endMeeting } from '../end-meeting.js';
import type { Meeting } from '../meeting.js';
import { canEndMeeting } from '../meeting-permissions.js';
import { memberOrRefuse, runningMeeting } from './guild-meeting.js';
import { endRefused, meetingAction } from './meeting-refusals.js';

/** Who asks to end a meeting, and from where. */
export interface EndRequest {
	readonly guildId: string;
	readonly meetingId: string;
	readonly actorId: string;
	readonly source: AuditSource;
}

/**
 * The meeting this user may end: still running, and they are its host or a meeting moderator. An API token
 * needs no more: its guild scope (checked by the route, with its user's Manage Server) is the right to end.
 */
export async function meetingToEnd({ guildId, meetingId, actorId, source }: EndRequest): Promise<Meeting> {
	return meetingAction('Ending the meeting', async () => {
		const meeting = await runningMeeting(guildId, meetingId);
		if (source === 'api') return meeting;
		const member = await memberOrRefuse(guildId, actorId, endRefused);
		if (!(await canEndMeeting(member, meeting))) throw endRefused();
		return meeting;
	});
}

/**
 * Ends the meeting for everyone (cancelled on Kaltura, audited, its announcement updated) once
 * {@link meetingToEnd} allows it; the user's rights are checked again, since they can change in between.
 */
export async function endGuildMeeting(request: EndRequest): Promise<Meeting> {
	const meeting = await meetingToEnd(request);
	return meetingAction('Ending the meeting', () => endMeeting(meeting, { actorId: request.actorId, source: request.source }));
}
