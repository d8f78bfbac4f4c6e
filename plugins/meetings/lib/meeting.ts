import { parseOriginTags } from './meeting-tags.js';
import type { MeetingType } from './meeting-types.js';

/** A meeting as the plugin shows it: one Kaltura schedule event, with where it came from. */
export interface Meeting {
	/** The schedule event id: what members pick, and what join links name. */
	readonly id: string;
	readonly title: string;
	readonly description: string;
	readonly type: MeetingType;
	readonly guildId: string;
	readonly channelId: string;
	readonly hostId: string;
	/** Unix seconds. */
	readonly startsAt: number;
	readonly endsAt: number;
	readonly cancelled: boolean;
	/** A live stream's Kaltura entry (the event's `templateEntryId`): what viewers watch. Only for type `live`. */
	readonly entryId?: string;
}

/** Kaltura's ScheduleEventStatus. */
export const SCHEDULE_EVENT_STATUS = { cancelled: 1, active: 2, deleted: 3 } as const;

export interface RawScheduleEvent {
	id?: unknown;
	summary?: unknown;
	description?: unknown;
	tags?: unknown;
	startDate?: unknown;
	endDate?: unknown;
	status?: unknown;
	templateEntryId?: unknown;
}

/** A Kaltura entry id as the bot accepts it back from an event (`0_abcd1234`): it goes into a watch link. */
const ENTRY_ID = /^\d_[a-z\d]{1,32}$/i;

/** An event as Kaltura returned it, or null when it is not one the bot made (no origin tags, odd fields). */
export function toMeeting(event: RawScheduleEvent): Meeting | null {
	const origin = parseOriginTags(event.tags);
	const id = typeof event.id === 'number' || typeof event.id === 'string' ? String(event.id) : '';
	if (origin === undefined || !/^\d+$/.test(id) || typeof event.startDate !== 'number' || typeof event.endDate !== 'number') return null;
	const entryId = typeof event.templateEntryId === 'string' && ENTRY_ID.test(event.templateEntryId) ? event.templateEntryId : undefined;
	// A live stream without its entry has nothing to watch: not one the bot can show.
	if (origin.type === 'live' && entryId === undefined) return null;
	return {
		id,
		title: typeof event.summary === 'string' && event.summary.trim() !== '' ? event.summary : 'Untitled meeting',
		description: typeof event.description === 'string' ? event.description : '',
		...origin,
		startsAt: event.startDate,
		endsAt: event.endDate,
		cancelled: Number(event.status) !== SCHEDULE_EVENT_STATUS.active,
		...(origin.type === 'live' && entryId !== undefined ? { entryId } : {})
	};
}

export type MeetingStatus = 'scheduled' | 'live' | 'ended';

export function meetingStatus(meeting: Meeting, nowSeconds = Date.now() / 1000): MeetingStatus {
	if (meeting.cancelled || meeting.endsAt <= nowSeconds) return 'ended';
	return meeting.startsAt <= nowSeconds ? 'live' : 'scheduled';
}
