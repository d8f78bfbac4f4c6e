import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { container } from '@sapphire/framework';
import { ApiError, PublicApiRoute } from '#sdk';
import { isEntryId } from '../../videos/api.js';
import { activitySessionOf } from '../lib/activity-request.js';
import { playbackFor } from '../lib/playback.js';

/**
 * `GET /api/v1/activity/playback?entryId=`: a member in an Activity instance (session token) gets a KS of their own,
 * limited to that entry, if their Kaltura session may see it; 403 `not_entitled` otherwise, without a word of the entry.
 */
export class ActivityPlaybackRoute extends PublicApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'activity/playback', methods: ['GET'], name: 'watch-together-activity-playback' });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse) {
		const session = await activitySessionOf(request);
		const entryId = firstOf(request.query.entryId);
		if (entryId === undefined || !isEntryId(entryId)) throw new ApiError(400, 'invalid_entry_id', 'entryId must be a Kaltura entry id.');
		const playback = await playbackFor(session, entryId, container.env.KALTURA_SERVICE_URL);
		response.setHeader('cache-control', 'no-store');
		response.ok(playback);
	}
}

function firstOf(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}
