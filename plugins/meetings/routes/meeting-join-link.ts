import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError, GuildApiRoute, type GuildRequestContext } from '#sdk';
import { findGuildMeeting } from '../lib/find-meetings.js';
import { meetingLinkFor } from '../lib/join-link.js';
import { kalturaApiError, meetingNotFound } from '../lib/kaltura-api-error.js';
import { meetingStatus } from '../lib/meeting.js';
import { fetchMember } from '../lib/meeting-permissions.js';
import { meetingsConfig } from '../lib/meetings-config.js';

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
		try {
			const meeting = await findGuildMeeting(this.container.kaltura, guildId, request.params.meetingId ?? '');
			if (meeting === undefined) throw meetingNotFound();
			if (meetingStatus(meeting) === 'ended') throw new ApiError(409, 'meeting_ended', 'That meeting has already ended.');
			const member = await fetchMember(guildId, claims.sub);
			if (member === null) throw new ApiError(403, 'forbidden', 'The token’s user is not a member of this guild.');
			const settings = meetingsConfig(await this.container.guildConfig.resolve(guildId));
			const link = await meetingLinkFor(this.container, member, meeting, settings);
			response.setHeader('Cache-Control', 'no-store');
			return response.ok({ meetingId: meeting.id, url: link.url, role: link.role });
		} catch (error) {
			throw kalturaApiError(error);
		}
	}
}
