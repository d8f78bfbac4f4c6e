import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { GuildApiRoute, type GuildRequestContext } from '#sdk';
import { meetingJson } from '../lib/meeting-json.js';
import { endGuildMeeting } from '../lib/use-cases/end-meeting.js';

/** `DELETE` ends a meeting of this guild for everyone (cancelled on Kaltura, announcement updated). */
export class MeetingRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/meetings/[meetingId]', methods: ['DELETE'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse, { guildId, claims }: GuildRequestContext) {
		const ended = await endGuildMeeting({ guildId, meetingId: request.params.meetingId ?? '', actorId: claims.sub, source: 'api' });
		return response.ok(meetingJson(ended));
	}
}
