/** Typed Kaltura services: each method is a {@link KalturaRequest} whose answer is parsed, run with the facade's admin() or call(). */
export { KalturaResponseError, type KalturaRequest, type Page } from './kaltura-request.js';
export { liveStream, type LiveStreamEntry, type NewLiveStreamEntry } from './live-stream.js';
export { media, type MediaEntry, type MediaEntryFilter, type MediaEntryList } from './media.js';
export {
	scheduleEvent,
	scheduleEventResource,
	scheduleResource,
	type NewScheduleEvent,
	type ScheduleEvent,
	type ScheduleEventFields,
	type ScheduleEventFilter,
	type ScheduleEventList
} from './schedule.js';
export { user, type KalturaUser, type KalturaUserFields, type KalturaUserList } from './user.js';
export {
	eventNotificationTemplate,
	type EventNotificationTemplate,
	type EventNotificationTemplateList,
	type HttpNotificationTemplateFields
} from './event-notification-template.js';
