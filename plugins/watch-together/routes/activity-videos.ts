import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError, PublicApiRoute, userFacingFailure } from '#sdk';
import { guildVideoCatalogue } from '../../videos/api.js';
import { activitySessionOf } from '../lib/activity-request.js';

/**
 * `GET /api/v1/activity/videos?q=`: what `/video search` lists in the member's server (its categories and result
 * limit), for the Activity's picker. A member in an instance (session token) only.
 */
export class ActivityVideosRoute extends PublicApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'activity/videos', methods: ['GET'], name: 'watch-together-activity-videos' });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse) {
		const session = await activitySessionOf(request);
		const raw = request.query.q;
		const query = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
		if (query.length < 2 || query.length > 100) throw new ApiError(400, 'invalid_query', 'q must be 2 to 100 characters.');
		let videos;
		try {
			videos = await guildVideoCatalogue(session.guildId, query);
		} catch (error) {
			throw userFacingFailure(error, 'The search');
		}
		response.setHeader('cache-control', 'no-store');
		response.ok({
			videos: videos.map((video) => ({
				entryId: video.id,
				name: video.name,
				duration: video.durationSeconds,
				thumbnailUrl: video.thumbnailUrl ?? null
			}))
		});
	}
}
