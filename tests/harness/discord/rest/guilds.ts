import type { RestContext } from '../context.js';
import { DiscordErrors, FormErrors } from '../errors.js';
import type { HarnessRequest, RouteDefinition } from '../http.js';
import { compareIds, requireBotGuild } from '../state.js';

/** Guilds, their channels, roles and members, as seen by the bot. */
export function guildRoutes(ctx: RestContext): RouteDefinition[] {
	const state = ctx.state;
	const guildOf = (request: HarnessRequest) => requireBotGuild(state, request.params.guild_id ?? '');

	const intParam = (request: HarnessRequest, name: string, fallback: number, min: number, max: number): number => {
		const text = request.query.get(name);
		const value = text === null ? fallback : Number(text);
		if (!Number.isInteger(value) || value < min || value > max) {
			const errors = new FormErrors();
			errors.add([name], 'NUMBER_TYPE_MAX', `Int value should be between ${min} and ${max}.`);
			errors.throwIfAny();
		}
		return value;
	};

	return [
		{
			method: 'GET',
			route: '/guilds/:guild_id',
			auth: true,
			handler: (request) => {
				const guild = guildOf(request);
				const body = state.guildToAPI(guild.id);
				if (request.query.get('with_counts') === 'true') {
					body.approximate_member_count = guild.members.size;
					body.approximate_presence_count = 0;
				}
				return { status: 200, body };
			}
		},
		{
			method: 'GET',
			route: '/guilds/:guild_id/channels',
			auth: true,
			handler: (request) => ({ status: 200, body: state.guildChannels(guildOf(request).id) })
		},
		{
			method: 'GET',
			route: '/guilds/:guild_id/roles',
			auth: true,
			handler: (request) => ({ status: 200, body: state.guildRoles(guildOf(request).id) })
		},
		{
			method: 'GET',
			route: '/guilds/:guild_id/roles/:role_id',
			auth: true,
			handler: (request) => {
				const role = guildOf(request).roles.get(request.params.role_id ?? '');
				if (!role) throw DiscordErrors.unknownRole();
				return { status: 200, body: role };
			}
		},
		{
			method: 'GET',
			route: '/guilds/:guild_id/members/:user_id',
			auth: true,
			handler: (request) => {
				const guild = guildOf(request);
				const userId = request.params.user_id === '@me' ? state.botUser.id : (request.params.user_id ?? '');
				if (!guild.members.has(userId)) throw DiscordErrors.unknownMember();
				return { status: 200, body: state.memberToAPI(guild.id, userId) };
			}
		},
		{
			method: 'GET',
			route: '/guilds/:guild_id/members',
			auth: true,
			handler: (request) => {
				const guild = guildOf(request);
				// Listing members needs the privileged Server Members intent enabled for the app.
				if (!ctx.privilegedIntents.guildMembers) throw DiscordErrors.missingAccess();
				const limit = intParam(request, 'limit', 1, 1, 1000);
				const after = request.query.get('after') ?? '0';
				const ids = [...guild.members.keys()]
					.filter((id) => compareIds(id, after) > 0)
					.sort(compareIds)
					.slice(0, limit);
				return { status: 200, body: ids.map((id) => state.memberToAPI(guild.id, id)) };
			}
		},
		{
			method: 'GET',
			route: '/guilds/:guild_id/members/search',
			auth: true,
			handler: (request) => {
				const guild = guildOf(request);
				const query = request.query.get('query');
				if (query === null) {
					const errors = new FormErrors();
					errors.add(['query'], 'BASE_TYPE_REQUIRED', 'This field is required');
					errors.throwIfAny();
				}
				const limit = intParam(request, 'limit', 1, 1, 1000);
				const needle = (query ?? '').toLowerCase();
				const matches = [...guild.members.values()]
					.filter((member) => {
						const user = state.users.get(member.userId);
						return [user?.username, user?.global_name, member.nick].some(
							(name) => typeof name === 'string' && name.toLowerCase().startsWith(needle)
						);
					})
					.slice(0, limit)
					.map((member) => state.memberToAPI(guild.id, member.userId));
				return { status: 200, body: matches };
			}
		}
	];
}
