import { container } from '@sapphire/framework';
import { type KalturaFacade, kalturaServices } from '#sdk';
import { ingestOf, type LiveIngest } from './live-ingest.js';
import { toMeeting, type Meeting } from './meeting.js';
import type { MeetingPlan } from './meeting-input.js';
import { CREATE_LIVE_STREAM_SCOPE, CREATE_MEETING_SCOPE } from './meeting-admin-scopes.js';
import { onScheduleServices } from './meeting-kaltura-errors.js';
import { guildReferenceId, originTags } from './meeting-tags.js';

/** Where the meeting is announced and who hosts it. */
export interface MeetingPlace {
	readonly guildId: string;
	readonly channelId: string;
	readonly hostId: string;
	/** The host's Kaltura user id: the event's owner on Kaltura. */
	readonly hostKalturaUserId: string;
	/** A category the live stream's entry is put in (meetings.liveCategoryId), so category subscriptions see it. */
	readonly liveCategoryId?: string | undefined;
}

export interface CreatedMeeting {
	readonly meeting: Meeting;
	/** A live stream's ingest details, for its host only; undefined for rooms, and when Kaltura gave none. */
	readonly ingest?: LiveIngest | undefined;
}

/** Kaltura's ScheduleEventRecurrenceType NONE: one occurrence. */
const RECURRENCE_NONE = 0;
/** Kaltura's MediaType LIVE_STREAM_FLASH and SourceType LIVE_STREAM: a live stream ingested and delivered by Kaltura. */
const MEDIA_TYPE_LIVE_STREAM = 201;
const SOURCE_TYPE_LIVE_STREAM = '32';
/**
 * The tag that makes a schedule resource a Kaltura Meetings (newrow) room. Kaltura Meetings Integration Guide
 * (github.com/kaltura-vpaas/virtual-meeting-rooms, README.md), "Creating a Resource": the resource "should include
 * tags of vcprovider:newrow in order to be recognized as a virtual meeting room", and "An event must be associated
 * with a resource" ("Did you forget to associate a resource with the event?").
 */
const NEWROW_ROOM_TAG = 'vcprovider:newrow';

const { liveStream, scheduleEvent, scheduleEventResource, scheduleResource } = kalturaServices;

/** The event fields every type shares: what, when, whose, and where it came from (meeting-tags.ts). */
function eventFields(plan: MeetingPlan, place: MeetingPlace): kalturaServices.ScheduleEventFields {
	return {
		summary: plan.title,
		description: plan.description,
		startDate: plan.startsAt,
		endDate: plan.endsAt,
		recurrenceType: RECURRENCE_NONE,
		referenceId: guildReferenceId(place.guildId),
		ownerId: place.hostKalturaUserId,
		tags: originTags({ guildId: place.guildId, channelId: place.channelId, hostId: place.hostId, type: plan.type })
	};
}

/**
 * meeting, classroom, webinar: a Kaltura Meetings room (a LocationScheduleResource tagged `vcprovider:newrow`), a
 * RecordScheduleEvent (its tags carry the room mode: `custom_rs_class_mode:virtual_classroom` or `:webinar`), and the
 * scheduleEventResource linking them, as the Kaltura Meetings Integration Guide sets a room up. The launcher link
 * (`/virtualEvent/launch`, join-link.ts) names the event and finds the room through that link.
 */
async function createRoomMeeting(facade: KalturaFacade, plan: MeetingPlan, place: MeetingPlace): Promise<kalturaServices.ScheduleEvent> {
	return withUndo(async (made) => {
		const room = await facade.admin(
			CREATE_MEETING_SCOPE,
			scheduleResource.addLocation({ name: plan.title, description: plan.description, tags: NEWROW_ROOM_TAG })
		);
		made(`room ${room.id}`, () => facade.admin(CREATE_MEETING_SCOPE, scheduleResource.delete(room.id)));
		const created = await facade.admin(CREATE_MEETING_SCOPE, scheduleEvent.add({ kind: 'record', fields: eventFields(plan, place) }));
		made(`schedule event ${created.id}`, () => facade.admin(CREATE_MEETING_SCOPE, scheduleEvent.delete(created.id)));
		await facade.admin(CREATE_MEETING_SCOPE, scheduleEventResource.add({ eventId: created.id, resourceId: room.id }));
		return created;
	});
}

/**
 * Runs the steps of a creation; when one fails, what the earlier ones made is deleted again (newest first, best
 * effort) before the failure is passed on. A half-made meeting belongs to nobody (no one can list, join or end it),
 * and a live entry left behind would keep a working stream password.
 */
async function withUndo<T>(steps: (made: (what: string, undo: () => Promise<unknown>) => void) => Promise<T>): Promise<T> {
	const undos: { what: string; undo: () => Promise<unknown> }[] = [];
	try {
		return await steps((what, undo) => undos.push({ what, undo }));
	} catch (error) {
		for (const { what, undo } of undos.reverse()) {
			try {
				await undo();
			} catch (undoError) {
				container.logger.warn(
					`Creating a meeting failed and its ${what} could not be deleted again on Kaltura; delete it by hand:`,
					undoError
				);
			}
		}
		throw error;
	}
}

/**
 * live: a live stream entry (`liveStream.add`, media type LIVE_STREAM_FLASH, source type LIVE_STREAM, for which Kaltura
 * fills in the broadcasting URLs, stream name and password: see live-ingest.ts) and a LiveStreamScheduleEvent on it
 * (`templateEntryId`) carrying the origin tags, so it is listed, joined and ended like every other meeting.
 *
 * Recording and DVR are left unset, so the partner's defaults apply: Kaltura records (APPENDED) when the partner has
 * FEATURE_LIVE_STREAM_RECORD or FEATURE_LIVE_STREAM_KALTURA_RECORDING and refuses any other recordStatus than DISABLED
 * without them (RECORDING_DISABLED; kaltura/server api_v3/lib/types/entry/KalturaLiveEntry.php toInsertableObject).
 *
 * The entry is a live stream (type LIVE_STREAM), so its live status changes reach the notifications plugin as
 * live_stream.started/ended (its normalise.ts); a subscription limited to a category sees it when the entry is in that
 * category (its fan-out.ts), hence `categoriesIds` from meetings.liveCategoryId. The `discord_guild:` tag says which
 * server made it, for people looking at the partner's entries.
 */
async function createLiveStream(
	facade: KalturaFacade,
	plan: MeetingPlan,
	place: MeetingPlace
): Promise<{ created: kalturaServices.ScheduleEvent; ingest: LiveIngest | undefined }> {
	return withUndo(async (made) => {
		const entry = await facade.admin(
			CREATE_LIVE_STREAM_SCOPE,
			liveStream.add(
				{
					name: plan.title,
					description: plan.description,
					mediaType: MEDIA_TYPE_LIVE_STREAM,
					tags: `discord_guild:${place.guildId}`,
					...(place.liveCategoryId === undefined ? {} : { categoriesIds: place.liveCategoryId })
				},
				SOURCE_TYPE_LIVE_STREAM
			)
		);
		made(`live entry ${entry.id}`, () => facade.admin(CREATE_LIVE_STREAM_SCOPE, liveStream.delete(entry.id)));
		const created = await facade.admin(
			CREATE_LIVE_STREAM_SCOPE,
			scheduleEvent.add({ kind: 'liveStream', fields: eventFields(plan, place), templateEntryId: entry.id })
		);
		return { created, ingest: ingestOf(entry) };
	});
}

/** Creates the meeting on Kaltura. The calls of each path run one after the other: each needs the id the previous one returned. */
export async function createMeeting(facade: KalturaFacade, plan: MeetingPlan, place: MeetingPlace): Promise<CreatedMeeting> {
	return onScheduleServices(async () => {
		const { created, ingest } =
			plan.type === 'live'
				? await createLiveStream(facade, plan, place)
				: { created: await createRoomMeeting(facade, plan, place), ingest: undefined };
		const meeting = toMeeting(created);
		if (meeting === null) throw new Error(`Kaltura returned a schedule event the bot cannot read (id ${created.id})`);
		return { meeting, ingest };
	});
}
