import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError, GuildApiRoute, type GuildRequestContext } from '#sdk';
import { endMeeting } from '../lib/end-meeting.js';
import { findGuildMeeting } from '../lib/find-meetings.js';
import { kalturaApiError, meetingNotFound } from '../lib/kaltura-api-error.js';
import { meetingStatus } from '../lib/meeting.js';
import { meetingJson } from '../lib/meeting-json.js';

/** `DELETE` ends a meeting of this guild for everyone (cancelled on Kaltura, announcement updated). */
export class MeetingRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/meetings/[meetingId]', methods: ['DELETE'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse, { guildId, claims }: GuildRequestContext) {
		try {
			const meeting = await findGuildMeeting(this.container.kaltura, guildId, request.params.meetingId ?? '');
			if (meeting === undefined) throw meetingNotFound();
			if (meetingStatus(meeting) === 'ended') throw new ApiError(409, 'meeting_ended', 'That meeting has already ended.');
			return response.ok(meetingJson(await endMeeting(meeting, { actorId: claims.sub, source: 'api' })));
		} catch (error) {
			throw kalturaApiError(error);
		}
	}
}
