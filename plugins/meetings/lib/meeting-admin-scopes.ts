import type { AdminScope } from '../../../src/core/kaltura/kaltura-facade.js';

/**
 * The ADMIN sessions the meetings plugin uses, each reaching only its actions. Kaltura grants the
 * schedule services to roles with SCHEDULE_EVENT_BASE/_MANAGE and SCHEDULE_RESOURCE_MANAGE (kaltura/server
 * deployment/permissions/service.schedule.*.ini), which a member's USER session does not have.
 */
export const CREATE_MEETING_SCOPE: AdminScope = {
	actions: ['schedule_scheduleresource.add', 'schedule_scheduleevent.add', 'schedule_scheduleeventresource.add', 'livestream.add'],
	why: 'a meeting is a room, a schedule event and the link between them (a webinar: a live stream and its event), owned by the host'
};

export const READ_MEETINGS_SCOPE: AdminScope = {
	actions: ['schedule_scheduleevent.list', 'schedule_scheduleevent.get'],
	why: 'a guild’s meetings are owned by their hosts, and a USER session sees only its own'
};

export const CANCEL_MEETING_SCOPE: AdminScope = {
	actions: ['schedule_scheduleevent.cancel'],
	why: 'the host, moderators and Manage Events members end meetings another Kaltura user owns'
};
