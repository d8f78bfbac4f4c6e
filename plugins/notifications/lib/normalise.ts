/**
 * Kaltura HTTP notifications → the plugin's event types. Every rule lives here, one comment each.
 *
 * A notification (KalturaHttpNotification, ObjectData template) carries `eventType`
 * (EventNotificationEventType), `eventObjectType` (EventNotificationEventObjectType: core numbers,
 * plugin strings), `eventNotificationJobId` and `object`, the API object after the event.
 */

export const NOTIFICATION_TYPES = [
	'entry.ready',
	'entry.added',
	'entry.added_to_category',
	'live_stream.started',
	'live_stream.ended',
	'recording.ready',
	'meeting.scheduled',
	'meeting.cancelled',
	'user.created',
	'unknown'
] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** EventNotificationEventType */
export const EVENT_TYPE = { objectAdded: 2, objectChanged: 3, objectCreated: 5, objectDeleted: 7 } as const;

/** EventNotificationEventObjectType */
export const EVENT_OBJECT_TYPE = {
	entry: '1',
	category: '2',
	kuser: '8',
	categoryEntry: '37',
	scheduleEvent: 'scheduleEventNotifications.ScheduleEvent'
} as const;

/** EntryStatus.READY */
const ENTRY_READY = 2;
/** EntryType.LIVE_STREAM */
const LIVE_STREAM_TYPE = 7;
/** EntryServerNodeStatus: 0 STOPPED, 1 PLAYABLE */
const LIVE_STOPPED = 0;
const LIVE_PLAYABLE = 1;
/** EntrySourceType.RECORDED_LIVE: the VOD entry Kaltura makes of a live session or meeting recording. */
const RECORDED_LIVE = '36';
/** ScheduleEventStatus: 1 CANCELLED, 2 ACTIVE, 3 DELETED */
const SCHEDULE_CANCELLED = 1;
const SCHEDULE_ACTIVE = 2;
const SCHEDULE_DELETED = 3;

/**
 * The tag `npm run check:live` puts on the schedule event it makes and deletes again: a test of the
 * operator's credentials, not a meeting, so it is never announced (its events read as `unknown`).
 */
export const LIVE_CHECK_TAG = 'kaltura-discord-bot-live-check';

function hasTag(object: Payload, tag: string): boolean {
	return typeof object.tags === 'string' && object.tags.split(',').some((each) => each.trim() === tag);
}

export interface NormalisedNotification {
	readonly type: NotificationType;
	readonly jobId: string | null;
	readonly eventType: number | null;
	readonly eventObjectType: string | null;
	readonly objectId: string | null;
	readonly partnerId: number | null;
	/**
	 * When the object last changed, in Unix milliseconds: its `updatedAt`, or `createdAt` for objects without one
	 * (KalturaCategoryEntry); both are `time` fields, Unix seconds (kaltura/server api_v3/lib/types/entry/KalturaBaseEntry.php,
	 * KalturaBaseUser.php, KalturaCategoryEntry.php, plugins/schedule/base/lib/api/KalturaScheduleEvent.php). The
	 * KalturaHttpNotification around it carries no time of its own. Null when the object has neither.
	 */
	readonly objectChangedAt: number | null;
}

type Payload = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Payload => typeof value === 'object' && value !== null && !Array.isArray(value);

function integer(value: unknown): number | null {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isInteger(number) ? number : null;
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;
}

/** Is the object an entry of a live stream (by entry type, or by its API class when the type is absent)? */
function isLiveEntry(object: Payload): boolean {
	return integer(object.type) === LIVE_STREAM_TYPE || /^Kaltura\w*Live\w*Entry$/.test(String(object.objectType ?? ''));
}

function classify(eventType: number | null, eventObjectType: string | null, object: Payload): NotificationType {
	const added = eventType === EVENT_TYPE.objectAdded || eventType === EVENT_TYPE.objectCreated;
	const changed = eventType === EVENT_TYPE.objectChanged;

	// Category entry (37) added or created: an entry was put in a category.
	if (eventObjectType === EVENT_OBJECT_TYPE.categoryEntry && added) return 'entry.added_to_category';
	// Kaltura user (8) added or created: a user was created.
	if (eventObjectType === EVENT_OBJECT_TYPE.kuser && added) return 'user.created';

	// Schedule events (the meetings plugin's meetings) come from the schedule plugin, named by a string.
	const scheduleEvent =
		eventObjectType === EVENT_OBJECT_TYPE.scheduleEvent || (eventObjectType === null && /ScheduleEvent$/.test(String(object.objectType ?? '')));
	if (scheduleEvent) {
		if (hasTag(object, LIVE_CHECK_TAG)) return 'unknown';
		const status = integer(object.status);
		// A schedule event deleted, or changed into CANCELLED or DELETED: the meeting is cancelled.
		if (eventType === EVENT_TYPE.objectDeleted || (changed && (status === SCHEDULE_CANCELLED || status === SCHEDULE_DELETED)))
			return 'meeting.cancelled';
		// A schedule event added or created while ACTIVE (the default when absent): a meeting is scheduled.
		if (added && (status === null || status === SCHEDULE_ACTIVE)) return 'meeting.scheduled';
		return 'unknown';
	}

	if (eventObjectType !== EVENT_OBJECT_TYPE.entry) return 'unknown';
	if (changed && isLiveEntry(object)) {
		const liveStatus = integer(object.liveStatus);
		// A live stream entry changed to PLAYABLE: the stream started.
		if (liveStatus === LIVE_PLAYABLE) return 'live_stream.started';
		// A live stream entry changed to STOPPED: the stream ended. (Any other change of a stopped stream also reads so:
		// the payload does not say which columns changed; the Kaltura template's condition should be on liveStatus.)
		if (liveStatus === LIVE_STOPPED) return 'live_stream.ended';
		return 'unknown';
	}
	// An entry changed while READY whose source is a live recording (RECORDED_LIVE): a recording is ready.
	if (changed && integer(object.status) === ENTRY_READY && String(object.sourceType ?? '') === RECORDED_LIVE) return 'recording.ready';
	// Any other entry changed while READY: the entry is ready (the template's condition should be "status changed to READY").
	if (changed && integer(object.status) === ENTRY_READY) return 'entry.ready';
	// An entry added (OBJECT_ADDED, 2): Kaltura's "Entry Was Added" template. OBJECT_CREATED (5) comes earlier, before any content.
	if (eventType === EVENT_TYPE.objectAdded) return 'entry.added';
	return 'unknown';
}

const secondsToMs = (seconds: number | null) => (seconds !== null && seconds > 0 ? seconds * 1000 : null);

/** Reads what the store indexes from a parsed notification; never throws, whatever the shape. */
export function normaliseNotification(payload: unknown): NormalisedNotification {
	const notification = isRecord(payload) ? payload : {};
	const object = isRecord(notification.object) ? notification.object : {};
	const eventType = integer(notification.eventType);
	const eventObjectType = text(notification.eventObjectType);
	return {
		type: classify(eventType, eventObjectType, object),
		jobId: text(notification.eventNotificationJobId),
		eventType,
		eventObjectType,
		objectId: text(object.id) ?? text(notification.entry_id),
		partnerId: integer(object.partnerId) ?? integer(notification.partnerId),
		objectChangedAt: secondsToMs(integer(object.updatedAt) ?? integer(object.createdAt))
	};
}
