import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError, GuildApiRoute, type GuildRequestContext, readValidatedJson } from '#sdk';
import { meetingRequestBody } from '../lib/meeting-input.js';
import { meetingJson } from '../lib/meeting-json.js';
import { listMeetings } from '../lib/use-cases/list-meetings.js';
import { startGuildMeeting } from '../lib/use-cases/start-meeting.js';

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
		if (request.method !== 'POST') {
			const { meetings, total } = await listMeetings(guildId, 1, API_PAGE_SIZE);
			return response.ok({ meetings: meetings.map(meetingJson), total });
		}
		const { channelId, startsAt, ...meeting } = await readValidatedJson(request, meetingRequestBody);
		if (channelId !== undefined) await this.#assertGuildChannel(guildId, channelId);
		// Without a channel there is nothing to announce; the meeting still records the guild.
		const started = await startGuildMeeting({
			guildId,
			hostId: claims.sub,
			channelId,
			source: 'api',
			meeting: { ...meeting, startsAt: startsAt === undefined ? undefined : Math.floor(Date.parse(startsAt) / 1000) }
		});
		// A live stream's ingest details go to the token's user, its host, in this answer only (never cached).
		if (started.ingest !== undefined) response.setHeader('Cache-Control', 'no-store');
		return response.created({
			...meetingJson(started.meeting),
			announced: started.announced !== undefined,
			...(started.ingest === undefined ? {} : { ingest: started.ingest })
		});
	}

	/** The body names a channel: it must be one of this guild's, or the announcement would go elsewhere. */
	async #assertGuildChannel(guildId: string, channelId: string): Promise<void> {
		const channel = await this.container.client.channels.fetch(channelId).catch(() => null);
		if (channel === null || !('guildId' in channel) || channel.guildId !== guildId)
			throw ApiError.badRequest('invalid_channel', 'That channel is not in this guild.');
	}
}
