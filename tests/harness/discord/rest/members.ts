import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { RestContext } from '../context.js';
import { DiscordErrors } from '../errors.js';
import type { HarnessRequest, RouteDefinition } from '../http.js';
import { requireBotGuild } from '../state.js';

/** Adding and removing a member's role, with Discord's Manage Roles and hierarchy checks. */
export function memberRoleRoutes(ctx: RestContext): RouteDefinition[] {
	const state = ctx.state;

	const change = (request: HarnessRequest, add: boolean) => {
		const guild = requireBotGuild(state, request.params.guild_id ?? '');
		const member = guild.members.get(request.params.user_id ?? '');
		if (!member) throw DiscordErrors.unknownMember();
		const role = guild.roles.get(request.params.role_id ?? '');
		if (!role || role.id === guild.id) throw DiscordErrors.unknownRole();
		const botId = state.botUser.id;
		if (botId !== guild.ownerId) {
			const permissions = state.basePermissions(guild.id, botId);
			if ((permissions & PermissionFlagsBits.ManageRoles) === 0n) throw DiscordErrors.missingPermissions();
			const botTop = Math.max(0, ...state.requireMember(guild.id, botId).roles.map((id) => guild.roles.get(id)?.position ?? 0));
			if (role.managed || role.position >= botTop) throw DiscordErrors.missingPermissions();
		}
		const has = member.roles.includes(role.id);
		if (add !== has) {
			state.updateMember(guild.id, member.userId, {
				roles: add ? [...member.roles, role.id] : member.roles.filter((id) => id !== role.id)
			});
			ctx.gateway.guildMemberUpdate(guild.id, member.userId);
		}
		return { status: 204 };
	};

	const route = '/guilds/:guild_id/members/:user_id/roles/:role_id';
	return [
		{ method: 'PUT', route, auth: true, handler: (request) => change(request, true) },
		{ method: 'DELETE', route, auth: true, handler: (request) => change(request, false) }
	];
}
