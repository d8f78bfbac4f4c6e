import { ApplicationFlags } from 'discord-api-types/v10';
import type { APIApplication, APIUser, RESTGetAPIGatewayBotResult, RESTGetAPIGatewayResult } from 'discord-api-types/v10';
import type { RestContext } from '../context.js';
import { DiscordErrors } from '../errors.js';
import type { RouteDefinition } from '../http.js';

const GUILDS_PER_RECOMMENDED_SHARD = 1000;

/** Gateway discovery, the bot user and the application. */
export function metaRoutes(ctx: RestContext): RouteDefinition[] {
	const currentUser = (): APIUser => ({
		...ctx.state.botUser,
		verified: true,
		mfa_enabled: false,
		locale: 'en-US',
		email: null,
		flags: 0 as NonNullable<APIUser['flags']>,
		premium_type: 0 as NonNullable<APIUser['premium_type']>
	});

	const application = (): APIApplication => {
		const p = ctx.privilegedIntents;
		let flags = 0;
		if (p.guildMembers) flags |= ApplicationFlags.GatewayGuildMembersLimited;
		if (p.guildPresences) flags |= ApplicationFlags.GatewayPresenceLimited;
		if (p.messageContent) flags |= ApplicationFlags.GatewayMessageContentLimited;
		const owner = ctx.state.guilds.values().next().value;
		const ownerUser = owner ? ctx.state.users.get(owner.ownerId) : undefined;
		const result: APIApplication = {
			id: ctx.state.applicationId,
			name: ctx.state.botUser.username,
			icon: null,
			description: '',
			bot_public: true,
			bot_require_code_grant: false,
			bot: ctx.state.botUser,
			summary: '',
			verify_key: '0'.repeat(64),
			team: null,
			flags: flags as ApplicationFlags,
			flags_new: String(flags),
			approximate_guild_count: ctx.state.botGuilds().length,
			redirect_uris: [],
			interactions_endpoint_url: null,
			integration_types_config: { '0': {}, '1': {} }
		};
		if (ownerUser) result.owner = ownerUser;
		return result;
	};

	/**
	 * `shards`: the "Recommended number of shards to use when connecting" (discord-api-docs developers/events/
	 * gateway.mdx, "Get Gateway Bot"). Discord does not publish its formula; discord.js reads the value as one shard
	 * per 1000 guilds (discordjs/discord.js, branch v14, packages/discord.js/src/util/Util.js,
	 * fetchRecommendedShardCount scales `shards` by `1_000 / guildsPerShard`), so: that, and at least one shard.
	 * `recommendedShards` (start option, or `gateway.options.recommendedShards`) overrides it.
	 */
	const recommendedShards = (): number =>
		ctx.gateway.options.recommendedShards ?? Math.max(1, Math.ceil(ctx.state.botGuilds().length / GUILDS_PER_RECOMMENDED_SHARD));

	return [
		{
			method: 'GET',
			route: '/gateway',
			auth: false,
			handler: () => ({ status: 200, body: { url: ctx.gatewayUrl() } satisfies RESTGetAPIGatewayResult })
		},
		{
			method: 'GET',
			route: '/gateway/bot',
			auth: true,
			handler: () => {
				const starts = ctx.gateway.sessionStarts;
				const body: RESTGetAPIGatewayBotResult = {
					url: ctx.gatewayUrl(),
					shards: recommendedShards(),
					// discord-api-docs developers/events/gateway.mdx, "Session Start Limit Object": total, remaining,
					// reset_after (ms) and max_concurrency ("Number of identify requests allowed per 5 seconds").
					session_start_limit: {
						total: starts.total,
						remaining: starts.remaining,
						reset_after: starts.resetAfter(),
						max_concurrency: starts.maxConcurrency
					}
				};
				return { status: 200, body };
			}
		},
		{ method: 'GET', route: '/users/@me', auth: true, handler: () => ({ status: 200, body: currentUser() }) },
		{
			method: 'GET',
			route: '/users/:user_id',
			auth: true,
			handler: (request) => {
				const user = ctx.state.users.get(request.params.user_id ?? '');
				if (!user) throw DiscordErrors.unknownUser();
				return { status: 200, body: user };
			}
		},
		{ method: 'GET', route: '/applications/@me', auth: true, handler: () => ({ status: 200, body: application() }) },
		{ method: 'GET', route: '/oauth2/applications/@me', auth: true, handler: () => ({ status: 200, body: application() }) }
	];
}
