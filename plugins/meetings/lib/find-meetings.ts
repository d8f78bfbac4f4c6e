import { KalturaError, type KalturaFacade, kalturaServices } from '#sdk';
import { SCHEDULE_EVENT_STATUS, toMeeting, type Meeting } from './meeting.js';
import { CANCEL_MEETING_SCOPE, READ_MEETINGS_SCOPE } from './meeting-admin-scopes.js';
import { onScheduleServices } from './meeting-kaltura-errors.js';
import { guildReferenceId } from './meeting-tags.js';

/**
 * What Kaltura answers for a schedule event it does not have: `scheduleEvent.get`, `.cancel`, `.update` and `.delete`
 * all throw INVALID_OBJECT_ID when ScheduleEventPeer::retrieveByPK finds nothing (kaltura/server
 * plugins/schedule/base/services/ScheduleEventService.php), and a deleted event is found by nothing: the peer's
 * default criteria leave out status DELETED (plugins/schedule/base/lib/model/ScheduleEventPeer.php
 * setDefaultCriteriaFilter). A cancelled event is still there (status CANCELLED).
 */
const EVENT_NOT_FOUND = 'INVALID_OBJECT_ID';

const isEventNotFound = (error: unknown) => error instanceof KalturaError && error.code === EVENT_NOT_FOUND;

/** The meeting was deleted on Kaltura after it was found (between `/meeting end` and its confirmation, say). */
export class MeetingGoneError extends Error {
	public constructor(public readonly meetingId: string) {
		super(`Meeting ${meetingId} no longer exists on Kaltura`);
		this.name = 'MeetingGoneError';
	}
}

export interface MeetingPage {
	readonly meetings: readonly Meeting[];
	readonly total: number;
}

/**
 * This guild's active and upcoming meetings, soonest first, straight from Kaltura: the exact
 * reference id keeps other guilds' meetings out, the status and end date keep ended ones out.
 */
export async function listGuildMeetings(facade: KalturaFacade, guildId: string, page: { size: number; index: number }): Promise<MeetingPage> {
	const filter = {
		referenceIdEqual: guildReferenceId(guildId),
		statusEqual: SCHEDULE_EVENT_STATUS.active,
		endDateGreaterThanOrEqual: Math.floor(Date.now() / 1000),
		orderBy: '+startDate'
	};
	const response = await onScheduleServices(() =>
		facade.admin(READ_MEETINGS_SCOPE, kalturaServices.scheduleEvent.list(filter, { pageSize: page.size, pageIndex: page.index }))
	);
	const meetings = response.objects.map(toMeeting).filter((meeting): meeting is Meeting => meeting !== null && meeting.guildId === guildId);
	return { meetings, total: response.totalCount };
}

/**
 * One meeting of this guild, or undefined when there is none with that id here: never made, deleted on Kaltura, or
 * another guild's (which counts as none).
 */
export async function findGuildMeeting(facade: KalturaFacade, guildId: string, meetingId: string): Promise<Meeting | undefined> {
	if (!/^\d{1,15}$/.test(meetingId)) return undefined;
	try {
		const event = await onScheduleServices(() => facade.admin(READ_MEETINGS_SCOPE, kalturaServices.scheduleEvent.get(Number(meetingId))));
		const meeting = toMeeting(event);
		return meeting !== null && meeting.guildId === guildId ? meeting : undefined;
	} catch (error) {
		if (isEventNotFound(error)) return undefined;
		throw error;
	}
}

/**
 * Cancels the event on Kaltura (status CANCELLED): it leaves the lists, and the bot hands out no more join links for it.
 * A live stream's entry is kept: it holds the stream's recording (Kaltura appends each broadcast to the entry's
 * recorded entry), its broadcasting settings and its views; ending the meeting only ends the schedule. Throws
 * {@link MeetingGoneError} when the event was deleted on Kaltura since it was found.
 */
export async function cancelMeeting(facade: KalturaFacade, meeting: Meeting): Promise<Meeting> {
	try {
		const event = await onScheduleServices(() => facade.admin(CANCEL_MEETING_SCOPE, kalturaServices.scheduleEvent.cancel(Number(meeting.id))));
		return toMeeting(event) ?? { ...meeting, cancelled: true };
	} catch (error) {
		if (isEventNotFound(error)) throw new MeetingGoneError(meeting.id);
		throw error;
	}
}
