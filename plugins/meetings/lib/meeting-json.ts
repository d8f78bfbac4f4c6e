import { meetingStatus, type Meeting } from './meeting.js';
import { NO_CHANNEL } from './start-meeting.js';

/**
 * A meeting as the HTTP API returns it: ISO dates, the status spelled out, and `channelId` null for a meeting
 * announced nowhere (started through the API without a channel; Kaltura's tag keeps `0` for it, see NO_CHANNEL).
 */
export function meetingJson(meeting: Meeting) {
	return {
		id: meeting.id,
		title: meeting.title,
		description: meeting.description,
		type: meeting.type,
		channelId: meeting.channelId === NO_CHANNEL ? null : meeting.channelId,
		hostId: meeting.hostId,
		startsAt: new Date(meeting.startsAt * 1000).toISOString(),
		endsAt: new Date(meeting.endsAt * 1000).toISOString(),
		status: meetingStatus(meeting)
	};
}
