import { type KalturaFacade, kalturaServices, operatorPolicy, type OperatorPolicy, type UserSession, watchLinkFrom } from '#sdk';

/** A video as the search shows it. */
export interface VideoSummary {
	readonly id: string;
	readonly name: string;
	readonly description: string;
	readonly durationSeconds: number;
	readonly thumbnailUrl: string | undefined;
}

/** Kaltura's READY entry status; only playable videos are worth sharing. */
const ENTRY_STATUS_READY = 2;

/**
 * Searching needs to list entries and nothing else: a USER session of the bot's own search user with
 * `list:*`, so the partner's entitlement rules apply as they would to a viewer.
 */
const SEARCH_SESSION: UserSession = { userId: 'discord-bot-search', privileges: 'list:*' };

export async function searchVideos(
	facade: KalturaFacade,
	query: string,
	limit: number,
	categoryIds: readonly string[]
): Promise<{ total: number; videos: VideoSummary[] }> {
	const filter = {
		freeText: query,
		statusEqual: ENTRY_STATUS_READY,
		orderBy: '-createdAt',
		...(categoryIds.length > 0 ? { categoriesIdsMatchOr: categoryIds.join(',') } : {})
	};
	const response = await facade.call(SEARCH_SESSION, kalturaServices.media.list(filter, { pageSize: limit, pageIndex: 1 }));
	return { total: response.totalCount, videos: response.objects.map(toSummary) };
}

function toSummary(entry: kalturaServices.MediaEntry): VideoSummary {
	return {
		id: entry.id,
		name: entry.name !== undefined && entry.name.trim() !== '' ? entry.name : 'Untitled video',
		description: entry.description ?? '',
		durationSeconds: entry.duration ?? 0,
		thumbnailUrl: entry.thumbnailUrl !== undefined && /^https?:\/\//.test(entry.thumbnailUrl) ? entry.thumbnailUrl : undefined
	};
}

/** `1:05:09`, `5:09`, `0:09`. */
export function formatDuration(totalSeconds: number): string {
	const seconds = Math.max(0, Math.round(totalSeconds));
	const hours = Math.floor(seconds / 3600);
	const minutes = Math.floor((seconds % 3600) / 60);
	const rest = String(seconds % 60).padStart(2, '0');
	return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/**
 * The watch link of a video from the guild's template. Checked against the operator's link policy on
 * every build (https, no user name or port, a host in KALTURA_LINK_HOSTS): the setting was checked when
 * written, but the operator's files and the environment can change since. Throws {@link LinkPolicyError}.
 */
export function watchUrlOf(
	template: string,
	partnerId: string | number,
	entryId: string,
	policy: Pick<OperatorPolicy, 'linkHosts'> = operatorPolicy()
): string {
	return watchLinkFrom(template, partnerId, entryId, 'videos.watchUrlTemplate', policy);
}
