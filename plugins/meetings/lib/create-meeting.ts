import kaltura from 'kaltura-client';
import type { KalturaFacade } from '../../../src/core/kaltura/kaltura-facade.js';
import { toMeeting, type Meeting, type RawScheduleEvent } from './meeting.js';
import type { MeetingPlan } from './meeting-input.js';
import { CREATE_MEETING_SCOPE } from './meeting-admin-scopes.js';
import { onScheduleServices } from './meeting-kaltura-errors.js';
import { guildReferenceId, originTags } from './meeting-tags.js';

/** Where the meeting is announced and who hosts it. */
export interface MeetingPlace {
	readonly guildId: string;
	readonly channelId: string;
	readonly hostId: string;
	/** The host's Kaltura user id: the event's owner on Kaltura. */
	readonly hostKalturaUserId: string;
}

/** Kaltura's ScheduleEventRecurrenceType NONE: one occurrence. */
const RECURRENCE_NONE = 0;
/** Kaltura's MediaType LIVE_STREAM_FLASH and SourceType LIVE_STREAM: a Kaltura-hosted live stream. */
const MEDIA_TYPE_LIVE_STREAM = 201;
const SOURCE_TYPE_LIVE_STREAM = '32';
/** The tag that makes a schedule resource a Kaltura Meetings (newrow) room. */
const NEWROW_ROOM_TAG = 'vcprovider:newrow';

interface Created {
	id?: unknown;
}

/**
 * Creates the meeting on Kaltura:
 * - meeting and classroom: a room (schedule resource tagged `vcprovider:newrow`), a schedule event, and the link between them;
 * - webinar: a live-stream entry and a live-stream schedule event on it.
 * The calls run one after the other because each needs the id the previous one returned.
 */
export async function createMeeting(facade: KalturaFacade, plan: MeetingPlan, place: MeetingPlace): Promise<Meeting> {
	const event = {
		summary: plan.title,
		description: plan.description,
		startDate: plan.startsAt,
		endDate: plan.endsAt,
		recurrenceType: RECURRENCE_NONE,
		referenceId: guildReferenceId(place.guildId),
		ownerId: place.hostKalturaUserId,
		tags: originTags({ guildId: place.guildId, channelId: place.channelId, hostId: place.hostId, type: plan.type })
	};
	return onScheduleServices(async () => {
		let created: RawScheduleEvent;
		if (plan.type === 'webinar') {
			const entry = await facade.admin<Created>(CREATE_MEETING_SCOPE, () =>
				kaltura.services.liveStream!.add!(
					new kaltura.objects.LiveStreamEntry!({ name: plan.title, description: plan.description, mediaType: MEDIA_TYPE_LIVE_STREAM, tags: `discord_guild:${place.guildId}` }),
					SOURCE_TYPE_LIVE_STREAM
				)
			);
			created = await facade.admin<RawScheduleEvent>(CREATE_MEETING_SCOPE, () =>
				kaltura.services.scheduleEvent!.add!(new kaltura.objects.LiveStreamScheduleEvent!({ ...event, templateEntryId: String(entry.id) }))
			);
		} else {
			const room = await facade.admin<Created>(CREATE_MEETING_SCOPE, () =>
				kaltura.services.scheduleResource!.add!(new kaltura.objects.LocationScheduleResource!({ name: plan.title, description: plan.description, tags: NEWROW_ROOM_TAG }))
			);
			created = await facade.admin<RawScheduleEvent>(CREATE_MEETING_SCOPE, () => kaltura.services.scheduleEvent!.add!(new kaltura.objects.RecordScheduleEvent!(event)));
			await facade.admin(CREATE_MEETING_SCOPE, () =>
				kaltura.services.scheduleEventResource!.add!(new kaltura.objects.ScheduleEventResource!({ eventId: Number(created.id), resourceId: Number(room.id) }))
			);
		}
		const meeting = toMeeting(created);
		if (meeting === null) throw new Error(`Kaltura returned a schedule event the bot cannot read (id ${String(created.id)})`);
		return meeting;
	});
}
