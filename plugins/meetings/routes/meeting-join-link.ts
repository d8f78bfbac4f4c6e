import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { GuildApiRoute, type GuildRequestContext } from '#sdk';
import { joinMeeting } from '../lib/use-cases/join-meeting.js';

/**
 * `POST` a join link for the token's own user (`sub`), never for someone else: the link signs its
 * holder in as that member. POST rather than GET so it is never cached or kept in a proxy's log.
 * For a live stream it is the player's watch link (`role: watcher`), the same for everyone.
 */
export class MeetingJoinLinkRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/meetings/[meetingId]/join-link', methods: ['POST'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse, { guildId, claims }: GuildRequestContext) {
		const { meeting, link } = await joinMeeting(guildId, request.params.meetingId ?? '', claims.sub);
		response.setHeader('Cache-Control', 'no-store');
		return response.ok({ meetingId: meeting.id, url: link.url, role: link.role });
	}
}
