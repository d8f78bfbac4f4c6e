import type { AdminScope } from '#sdk';

/**
 * The ADMIN sessions the meetings plugin uses, each reaching only the actions its path calls. Kaltura grants the
 * schedule services to roles with SCHEDULE_EVENT_BASE/_MANAGE and SCHEDULE_RESOURCE_MANAGE (kaltura/server
 * deployment/permissions/service.schedule.*.ini), which a member's USER session does not have.
 */

/** meeting, classroom and webinar: a Kaltura Meetings room, its event and the link between them (create-meeting.ts createRoomMeeting). */
export const CREATE_MEETING_SCOPE: AdminScope = {
	actions: [
		'schedule_scheduleresource.add',
		'schedule_scheduleevent.add',
		'schedule_scheduleeventresource.add',
		'schedule_scheduleresource.delete',
		'schedule_scheduleevent.delete'
	],
	why: 'a meeting is a room, a schedule event and the link between them, owned by the host; what a failed creation made is deleted again'
};

/**
 * live: a live stream entry and its schedule event (create-meeting.ts createLiveStream). ADMIN also because Kaltura
 * returns the broadcasting URLs and stream password only to an admin session, the entry's owner or an entitled
 * editor (kaltura/server api_v3/lib/types/entry/KalturaLiveStreamEntry.php doFromObject).
 */
export const CREATE_LIVE_STREAM_SCOPE: AdminScope = {
	actions: ['livestream.add', 'schedule_scheduleevent.add', 'livestream.delete'],
	why: 'a live stream is a live entry and a schedule event on it, and its ingest details are returned to admin sessions; a failed creation deletes its entry again'
};

export const READ_MEETINGS_SCOPE: AdminScope = {
	actions: ['schedule_scheduleevent.list', 'schedule_scheduleevent.get'],
	why: 'a guild’s meetings are owned by their hosts, and a USER session sees only its own'
};

export const CANCEL_MEETING_SCOPE: AdminScope = {
	actions: ['schedule_scheduleevent.cancel'],
	why: 'the host, moderators and Manage Events members end meetings another Kaltura user owns'
};
