import kaltura from 'kaltura-client';
import { z } from 'zod';
import { listRequest, type KalturaList, type KalturaRequest, type Page } from './kaltura-request.js';

/** A KalturaMediaEntry, the fields a search result shows. Kaltura leaves unset fields out of its JSON. */
export const mediaEntrySchema = z.object({
	id: z.string().min(1),
	name: z.string().optional(),
	description: z.string().optional(),
	/** Seconds. */
	duration: z.number().optional(),
	thumbnailUrl: z.string().optional()
});
export type MediaEntry = z.output<typeof mediaEntrySchema>;

export type MediaEntryList = KalturaList<MediaEntry>;

/** What the bot filters entries by (KalturaMediaEntryFilter), in the order it sends them. */
export interface MediaEntryFilter {
	readonly freeText: string;
	/** KalturaEntryStatus; 2 is READY. */
	readonly statusEqual: number;
	readonly orderBy: string;
	readonly categoriesIdsMatchOr?: string;
}

export const media = {
	/** `media.list`: a USER session with `list:*` is enough, and keeps the partner's entitlement rules in force. */
	list(filter: MediaEntryFilter, page: Page): KalturaRequest<MediaEntryList> {
		return listRequest(mediaEntrySchema, page, (pager) =>
			kaltura.services.media.listAction(new kaltura.objects.MediaEntryFilter({ ...filter }), pager)
		);
	}
};
