import { container } from '@sapphire/framework';
import type { AuditSource } from '#sdk';
import { announcementOf } from './announcement-store.js';
import { cancelMeeting } from './find-meetings.js';
import type { Meeting } from './meeting.js';
import { announcement } from './meeting-embed.js';
import { forgetMeetingSuggestions } from './meeting-suggestions.js';

/** Who ended a meeting: the member who pressed the confirmation, or the user of an API token. */
export interface MeetingEnder {
	readonly actorId: string;
	readonly source: AuditSource;
}

/**
 * Cancels the meeting on Kaltura, records it in the audit log (here, once, whichever way it was ended),
 * then marks its announcement ended and takes the Join button away. The announcement is best effort:
 * the meeting is over on Kaltura even if the message was deleted.
 */
export async function endMeeting(meeting: Meeting, endedBy: MeetingEnder): Promise<Meeting> {
	const ended = await cancelMeeting(container.kaltura, meeting);
	forgetMeetingSuggestions(meeting.guildId);
	container.logger.info(
		`Meeting ${meeting.id} in guild ${meeting.guildId} ended by ${endedBy.source === 'api' ? 'the API token of ' : ''}${endedBy.actorId}`
	);
	await container.audit.record({
		guildId: meeting.guildId,
		actorId: endedBy.actorId,
		source: endedBy.source,
		action: 'meeting.end',
		target: meeting.id,
		changes: { title: meeting.title, hostId: meeting.hostId }
	});
	const ref = await announcementOf(meeting.id).catch(() => undefined);
	if (ref === undefined) return ended;
	try {
		const channel = await container.client.channels.fetch(ref.channelId);
		if (channel?.isTextBased() && 'messages' in channel)
			await channel.messages.edit(ref.messageId, { ...announcement(ended, 'ended'), allowedMentions: { parse: [] } });
	} catch (error) {
		container.logger.warn(`The announcement of meeting ${meeting.id} could not be updated:`, error);
	}
	return ended;
}
