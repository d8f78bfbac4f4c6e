import { container } from '@sapphire/framework';
import { announcementOf } from './announcement-store.js';
import { cancelMeeting } from './find-meetings.js';
import type { Meeting } from './meeting.js';
import { announcement } from './meeting-embed.js';

/**
 * Cancels the meeting on Kaltura, then marks its announcement ended and takes the Join button away.
 * The announcement is best effort: the meeting is over on Kaltura even if the message was deleted.
 */
export async function endMeeting(meeting: Meeting, endedBy: string): Promise<Meeting> {
	const ended = await cancelMeeting(container.kaltura, meeting);
	container.logger.info(`Meeting ${meeting.id} in guild ${meeting.guildId} ended by ${endedBy}`);
	const ref = await announcementOf(meeting.id).catch(() => undefined);
	if (ref === undefined) return ended;
	try {
		const channel = await container.client.channels.fetch(ref.channelId);
		if (channel?.isTextBased() && 'messages' in channel) await channel.messages.edit(ref.messageId, { ...announcement(ended, 'ended'), allowedMentions: { parse: [] } });
	} catch (error) {
		container.logger.warn(`The announcement of meeting ${meeting.id} could not be updated:`, error);
	}
	return ended;
}
