import kaltura from 'kaltura-client';
import { z } from 'zod';
import { kalturaRequest, listRequest, type KalturaList, type KalturaRequest, type Page } from './kaltura-request.js';

/**
 * A KalturaEventNotificationTemplate (an HTTP one, KalturaHttpNotificationTemplate, has the URL, method, hash and
 * data fields), the fields the webhook set-up reads. Kaltura leaves unset fields out of its JSON.
 */
export const eventNotificationTemplateSchema = z.object({
	id: z.number().int(),
	partnerId: z.number().int().optional(),
	/** KalturaEventNotificationTemplateType (`httpNotification.Http`). */
	type: z.string().optional(),
	/** KalturaEventNotificationTemplateStatus: 1 disabled, 2 active, 3 deleted. */
	status: z.number().int().optional(),
	systemName: z.string().optional(),
	name: z.string().optional(),
	description: z.string().optional(),
	url: z.string().optional(),
	method: z.number().int().optional(),
	secureHashingAlgo: z.number().int().optional(),
	data: z
		.object({ objectType: z.string().optional(), apiObjectType: z.string().optional(), format: z.union([z.number(), z.string()]).optional() })
		.optional()
});
export type EventNotificationTemplate = z.output<typeof eventNotificationTemplateSchema>;

export type EventNotificationTemplateList = KalturaList<EventNotificationTemplate>;

/** The properties of a KalturaHttpNotificationTemplate to send, built with kaltura-client's object classes where nested. */
export type HttpNotificationTemplateFields = Readonly<Record<string, unknown>>;

/**
 * The event notification plugin's template service (kaltura/server plugins/event_notification). A partner's
 * templates are its configuration, which only admin roles read or change: these run with an admin scope.
 */
export const eventNotificationTemplate = {
	/** The partner's own templates. */
	list(page: Page): KalturaRequest<EventNotificationTemplateList> {
		return listRequest(eventNotificationTemplateSchema, page, (pager) => kaltura.services.eventNotificationTemplate.listAction(null, pager));
	},
	/** Partner 0's templates, the ones a partner may clone. */
	listTemplates(page: Page): KalturaRequest<EventNotificationTemplateList> {
		return listRequest(eventNotificationTemplateSchema, page, (pager) => kaltura.services.eventNotificationTemplate.listTemplates(null, pager));
	},
	/** A copy of partner 0's template `id` for this partner, with `override`'s fields set. */
	cloneHttp(id: number, override: HttpNotificationTemplateFields): KalturaRequest<EventNotificationTemplate> {
		return kalturaRequest(
			() => kaltura.services.eventNotificationTemplate.cloneAction(id, new kaltura.objects.HttpNotificationTemplate({ ...override })),
			eventNotificationTemplateSchema
		);
	},
	updateHttp(id: number, fields: HttpNotificationTemplateFields): KalturaRequest<EventNotificationTemplate> {
		return kalturaRequest(
			() => kaltura.services.eventNotificationTemplate.update(id, new kaltura.objects.HttpNotificationTemplate({ ...fields })),
			eventNotificationTemplateSchema
		);
	},
	updateStatus(id: number, status: number): KalturaRequest<EventNotificationTemplate> {
		return kalturaRequest(() => kaltura.services.eventNotificationTemplate.updateStatus(id, status), eventNotificationTemplateSchema);
	}
};
