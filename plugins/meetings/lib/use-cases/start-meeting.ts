import { container } from '@sapphire/framework';
import { recordUsage, type AuditSource } from '#sdk';
import { meetingLinkFor } from '../join-link.js';
import { planMeeting, type MeetingRequest } from '../meeting-input.js';
import { canStartMeetings } from '../meeting-permissions.js';
import { liveCategoryOf } from '../meetings-config.js';
import { hostLinkOf, type HostLink } from '../started-reply.js';
import { NO_CHANNEL, startMeeting, type StartedMeeting } from '../start-meeting.js';
import { meetingsStarted } from '../meetings-metrics.js';
import { memberOrRefuse, meetingSettingsOf } from './guild-meeting.js';
import { invalidMeeting, meetingAction, startRefused } from './meeting-refusals.js';

export interface StartMeetingRequest {
	readonly guildId: string;
	/** Who starts it, and hosts it: the member, or an API token's user. */
	readonly hostId: string;
	/** Where it is announced; none (API only): nowhere. The caller vouches that it is a channel of the guild. */
	readonly channelId: string | undefined;
	readonly meeting: MeetingRequest;
	readonly source: AuditSource;
	/** The message the announcement replies to (the message context menu). */
	readonly replyTo?: string;
}

export interface MeetingStart extends StartedMeeting {
	/** The host's own link (or why it could not be made); only for a member, who is answered privately. */
	readonly hostLink: HostLink | undefined;
}

/**
 * Starts a meeting in the guild and announces it. A member must be allowed by meetings.whoCanStart; an API
 * token's guild scope (checked by the route) is its right to start. The request is checked against the limits.
 */
export async function startGuildMeeting(request: StartMeetingRequest): Promise<MeetingStart> {
	return meetingAction('Starting the meeting', async () => {
		const { guildId, source } = request;
		const settings = await meetingSettingsOf(guildId);
		const host = await memberOrRefuse(guildId, request.hostId, startRefused);
		if (source !== 'api' && !(await canStartMeetings(host, settings))) throw startRefused();
		const planned = planMeeting(request.meeting, settings.defaultDurationMinutes);
		if (!planned.ok) throw invalidMeeting(planned.reason);
		const started = await startMeeting(planned.plan, host, request.channelId ?? NO_CHANNEL, {
			source,
			liveCategoryId: liveCategoryOf(guildId, settings),
			...(request.replyTo === undefined ? {} : { replyTo: request.replyTo })
		});
		meetingsStarted.inc({ type: planned.plan.type });
		recordUsage(guildId, 'meeting_started', { meetingType: planned.plan.type });
		// The API's answer carries no session: its client asks for a join link when it wants one.
		const hostLink = source === 'api' ? undefined : await hostLinkOf(() => meetingLinkFor(container, host, started.meeting, settings));
		return { ...started, hostLink };
	});
}
