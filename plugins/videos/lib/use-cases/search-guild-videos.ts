import { container } from '@sapphire/framework';
import { LinkPolicyError, recordUsage, UserFacingError, userFacingFailure } from '#sdk';
import { searchVideos, watchUrlOf, type VideoSummary } from '../search-videos.js';
import { videosConfig } from '../videos-config.js';
import { videosSearched } from '../videos-metrics.js';

export interface FoundVideo {
	readonly video: VideoSummary;
	/** The watch link, as the guild's videos.watchUrlTemplate makes it within the operator's link policy. */
	readonly watchUrl: string;
}

/**
 * Videos matching the query, within the guild's categories and result limit, each with its watch link. Kaltura's
 * failures come as "The search did not work: <why>"; a watch link the operator's policy refuses, as the policy says.
 */
export async function searchGuildVideos(guildId: string, query: string): Promise<{ total: number; found: FoundVideo[] }> {
	const settings = videosConfig(await container.guildConfig.resolve(guildId));
	try {
		const { total, videos } = await searchVideos(container.kaltura, query, settings.resultLimit, settings.categoryIds);
		videosSearched.inc({});
		recordUsage(guildId, 'video_searched');
		const partnerId = String(container.kaltura.partnerId);
		return { total, found: videos.map((video) => ({ video, watchUrl: watchUrlOf(settings.watchUrlTemplate, partnerId, video.id) })) };
	} catch (error) {
		// The policy's sentence already names the setting to fix; "did not work" in front would only blur it.
		if (error instanceof LinkPolicyError) throw new UserFacingError('link_not_allowed', error.message, { status: 409, cause: error });
		throw userFacingFailure(error, 'The search');
	}
}
