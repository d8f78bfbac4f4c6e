import kaltura from 'kaltura-client';
import { z } from 'zod';
import { IGNORED_ANSWER, kalturaRequest, type KalturaRequest } from './kaltura-request.js';

/**
 * A KalturaLiveStreamEntry, the fields the bot reads: its id and the ingest details Kaltura fills in from the
 * partner's broadcast configuration. Kaltura returns the broadcasting URLs and the stream password only to an
 * admin session, the entry's owner or an entitled editor (api_v3/lib/types/entry/KalturaLiveStreamEntry.php
 * doFromObject), and leaves out the fields it has no value for.
 */
export const liveStreamEntrySchema = z.object({
	id: z.string().min(1),
	streamName: z.string().optional(),
	primaryBroadcastingUrl: z.string().optional(),
	secondaryBroadcastingUrl: z.string().optional(),
	primarySecuredBroadcastingUrl: z.string().optional(),
	secondarySecuredBroadcastingUrl: z.string().optional(),
	primarySrtBroadcastingUrl: z.string().optional(),
	primarySrtStreamId: z.string().optional(),
	secondarySrtBroadcastingUrl: z.string().optional(),
	secondarySrtStreamId: z.string().optional()
});
export type LiveStreamEntry = z.output<typeof liveStreamEntrySchema>;

/** A live entry to add (KalturaLiveStreamEntry); `categoriesIds` only when it goes in a category. */
export interface NewLiveStreamEntry {
	readonly name: string;
	readonly description: string;
	/** KalturaMediaType; 201 is LIVE_STREAM_FLASH. */
	readonly mediaType: number;
	readonly tags: string;
	readonly categoriesIds?: string;
}

export const liveStream = {
	/** `sourceType` is KalturaSourceType as a string ('32': LIVE_STREAM, ingested and delivered by Kaltura). */
	add(entry: NewLiveStreamEntry, sourceType: string): KalturaRequest<LiveStreamEntry> {
		return kalturaRequest(
			() => kaltura.services.liveStream.add(new kaltura.objects.LiveStreamEntry({ ...entry }), sourceType),
			liveStreamEntrySchema
		);
	},
	delete(entryId: string): KalturaRequest<void> {
		return kalturaRequest(() => kaltura.services.liveStream.deleteAction(entryId), IGNORED_ANSWER);
	}
};
