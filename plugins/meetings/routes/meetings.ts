import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError, GuildApiRoute, type GuildRequestContext, readValidatedJson } from '#sdk';
import { listGuildMeetings } from '../lib/find-meetings.js';
import { kalturaApiError } from '../lib/kaltura-api-error.js';
import { meetingRequestBody, planMeeting } from '../lib/meeting-input.js';
import { meetingJson } from '../lib/meeting-json.js';
import { fetchMember } from '../lib/meeting-permissions.js';
import { liveCategoryOf, meetingsConfig } from '../lib/meetings-config.js';
import { NO_CHANNEL, startMeeting } from '../lib/start-meeting.js';

const API_PAGE_SIZE = 100;

/**
 * `GET` this guild's active and upcoming meetings; `POST` starts one, hosted by the token's user
 * (`sub`), announced in `channelId` when given. The token's guild scope is the permission.
 */
export class MeetingsRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/meetings', methods: ['GET', 'POST'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse, { guildId, claims }: GuildRequestContext) {
		try {
			if (request.method !== 'POST') {
				const { meetings, total } = await listGuildMeetings(this.container.kaltura, guildId, { size: API_PAGE_SIZE, index: 1 });
				return response.ok({ meetings: meetings.map(meetingJson), total });
			}
			const body = await readValidatedJson(request, meetingRequestBody);
			const settings = meetingsConfig(await this.container.guildConfig.resolve(guildId));
			const planned = planMeeting(
				{ ...body, startsAt: body.startsAt === undefined ? undefined : Math.floor(Date.parse(body.startsAt) / 1000) },
				settings.defaultDurationMinutes
			);
			if (!planned.ok) throw ApiError.badRequest('invalid_meeting', planned.reason);
			const host = await fetchMember(guildId, claims.sub);
			if (host === null) throw new ApiError(403, 'forbidden', 'The token’s user is not a member of this guild.');
			if (body.channelId !== undefined) {
				const channel = await this.container.client.channels.fetch(body.channelId).catch(() => null);
				if (channel === null || !('guildId' in channel) || channel.guildId !== guildId)
					throw ApiError.badRequest('invalid_channel', 'That channel is not in this guild.');
			}
			// Without a channel there is nothing to announce; the meeting still records the guild.
			const started = await startMeeting(planned.plan, host, body.channelId ?? NO_CHANNEL, {
				source: 'api',
				liveCategoryId: liveCategoryOf(guildId, settings)
			});
			// A live stream's ingest details go to the token's user, its host, in this answer only (never cached).
			if (started.ingest !== undefined) response.setHeader('Cache-Control', 'no-store');
			return response.created({
				...meetingJson(started.meeting),
				announced: started.announced !== undefined,
				...(started.ingest === undefined ? {} : { ingest: started.ingest })
			});
		} catch (error) {
			throw kalturaApiError(error);
		}
	}
}
