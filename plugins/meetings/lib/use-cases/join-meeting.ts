import { container } from '@sapphire/framework';
import { recordUsage } from '#sdk';
import { listGuildMeetings } from '../find-meetings.js';
import { meetingLinkFor, type JoinLink } from '../join-link.js';
import type { Meeting } from '../meeting.js';
import { memberOrRefuse, meetingSettingsOf, runningMeeting } from './guild-meeting.js';
import { meetingAction, noMeetingToJoin, notAMemberToJoin } from './meeting-refusals.js';
import { meetingJoins } from '../meetings-metrics.js';

export interface JoinedMeeting {
	readonly meeting: Meeting;
	/** The user's own link (a live stream's watch link): it signs them in, so it is shown to them alone. */
	readonly link: JoinLink;
}

/**
 * A member's own link to a meeting of the guild: the one with `meetingId`, or without one (undefined) the meeting
 * starting soonest. Refused when there is no such meeting, it has ended, or the user is not a member.
 */
export async function joinMeeting(guildId: string, meetingId: string | undefined, userId: string): Promise<JoinedMeeting> {
	return meetingAction('Getting your link', async () => {
		const meeting = meetingId === undefined ? await soonestMeeting(guildId) : await runningMeeting(guildId, meetingId);
		const member = await memberOrRefuse(guildId, userId, notAMemberToJoin);
		const link = await meetingLinkFor(container, member, meeting, await meetingSettingsOf(guildId));
		meetingJoins.inc({});
		recordUsage(guildId, 'meeting_joined', { memberId: userId });
		return { meeting, link };
	});
}

/** Listed meetings are all active or upcoming, soonest first. */
async function soonestMeeting(guildId: string): Promise<Meeting> {
	const [meeting] = (await listGuildMeetings(container.kaltura, guildId, { size: 1, index: 1 })).meetings;
	if (meeting === undefined) throw noMeetingToJoin();
	return meeting;
}
