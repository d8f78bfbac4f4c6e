import { meetingStatus, type Meeting } from './meeting.js';

/** A meeting as the HTTP API returns it: ISO dates, the status spelled out. */
export function meetingJson(meeting: Meeting) {
	return {
		id: meeting.id,
		title: meeting.title,
		description: meeting.description,
		type: meeting.type,
		channelId: meeting.channelId,
		hostId: meeting.hostId,
		startsAt: new Date(meeting.startsAt * 1000).toISOString(),
		endsAt: new Date(meeting.endsAt * 1000).toISOString(),
		status: meetingStatus(meeting)
	};
}
