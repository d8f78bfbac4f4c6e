import kaltura from 'kaltura-client';
import { z } from 'zod';
import { IGNORED_ANSWER, kalturaRequest, listRequest, type KalturaList, type KalturaRequest, type Page } from './kaltura-request.js';

/**
 * The schedule plugin's services (kaltura/server plugins/schedule/base/services): events, resources (a Kaltura
 * Meetings room is a LocationScheduleResource) and the links between them. Kaltura gives them to roles with
 * SCHEDULE_EVENT_BASE/_MANAGE and SCHEDULE_RESOURCE_MANAGE, so they are run with an admin scope.
 */

/** A KalturaScheduleEvent, the fields the bot reads. Kaltura leaves unset text fields out of its JSON. */
export const scheduleEventSchema = z.object({
	id: z.number().int(),
	summary: z.string().optional(),
	description: z.string().optional(),
	tags: z.string().optional(),
	startDate: z.number(),
	endDate: z.number(),
	/** KalturaScheduleEventStatus: 1 cancelled, 2 active, 3 deleted. */
	status: z.number().int(),
	/** A live stream event's entry (KalturaEntryScheduleEvent::templateEntryId). */
	templateEntryId: z.string().optional()
});
export type ScheduleEvent = z.output<typeof scheduleEventSchema>;

export type ScheduleEventList = KalturaList<ScheduleEvent>;

/** The fields every event the bot makes sets (KalturaScheduleEvent). */
export interface ScheduleEventFields {
	readonly summary: string;
	readonly description: string;
	readonly startDate: number;
	readonly endDate: number;
	/** KalturaScheduleEventRecurrenceType; 0 is NONE. */
	readonly recurrenceType: number;
	readonly referenceId: string;
	readonly ownerId: string;
	readonly tags: string;
}

/** What the bot filters events by (KalturaScheduleEventFilter), in the order it sends them. */
export interface ScheduleEventFilter {
	readonly referenceIdEqual: string;
	readonly statusEqual: number;
	readonly endDateGreaterThanOrEqual: number;
	readonly orderBy: string;
}

/** The new event: a RecordScheduleEvent (a Kaltura Meetings room's), or a LiveStreamScheduleEvent on a live entry. */
export type NewScheduleEvent =
	| { readonly kind: 'record'; readonly fields: ScheduleEventFields }
	| { readonly kind: 'liveStream'; readonly fields: ScheduleEventFields; readonly templateEntryId: string };

export const scheduleEvent = {
	list(filter: ScheduleEventFilter, page: Page): KalturaRequest<ScheduleEventList> {
		return listRequest(scheduleEventSchema, page, (pager) =>
			kaltura.services.scheduleEvent.listAction(new kaltura.objects.ScheduleEventFilter({ ...filter }), pager)
		);
	},
	get(id: number): KalturaRequest<ScheduleEvent> {
		return kalturaRequest(() => kaltura.services.scheduleEvent.get(id), scheduleEventSchema);
	},
	/** Sets the event's status to CANCELLED; Kaltura answers the event. */
	cancel(id: number): KalturaRequest<ScheduleEvent> {
		return kalturaRequest(() => kaltura.services.scheduleEvent.cancel(id), scheduleEventSchema);
	},
	add(event: NewScheduleEvent): KalturaRequest<ScheduleEvent> {
		return kalturaRequest(
			() =>
				kaltura.services.scheduleEvent.add(
					event.kind === 'record'
						? new kaltura.objects.RecordScheduleEvent({ ...event.fields })
						: new kaltura.objects.LiveStreamScheduleEvent({ ...event.fields, templateEntryId: event.templateEntryId })
				),
			scheduleEventSchema
		);
	},
	delete(id: number): KalturaRequest<void> {
		return kalturaRequest(() => kaltura.services.scheduleEvent.deleteAction(id), IGNORED_ANSWER);
	}
};

/** A KalturaScheduleResource: the bot reads its id alone. */
const scheduleResourceSchema = z.object({ id: z.number().int() });
export type ScheduleResource = z.output<typeof scheduleResourceSchema>;

/** A KalturaLocationScheduleResource to add; `tags: 'vcprovider:newrow'` makes it a Kaltura Meetings room. */
export interface NewLocationResource {
	readonly name: string;
	readonly description: string;
	readonly tags: string;
}

export const scheduleResource = {
	addLocation(resource: NewLocationResource): KalturaRequest<ScheduleResource> {
		return kalturaRequest(
			() => kaltura.services.scheduleResource.add(new kaltura.objects.LocationScheduleResource({ ...resource })),
			scheduleResourceSchema
		);
	},
	delete(id: number): KalturaRequest<void> {
		return kalturaRequest(() => kaltura.services.scheduleResource.deleteAction(id), IGNORED_ANSWER);
	}
};

/** A KalturaScheduleEventResource: the link of an event to a resource. */
const scheduleEventResourceSchema = z.object({ eventId: z.number().int(), resourceId: z.number().int() });
export type ScheduleEventResource = z.output<typeof scheduleEventResourceSchema>;

export const scheduleEventResource = {
	add(link: { readonly eventId: number; readonly resourceId: number }): KalturaRequest<ScheduleEventResource> {
		return kalturaRequest(
			() =>
				kaltura.services.scheduleEventResource.add(
					new kaltura.objects.ScheduleEventResource({ eventId: link.eventId, resourceId: link.resourceId })
				),
			scheduleEventResourceSchema
		);
	}
};
