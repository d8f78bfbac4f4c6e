import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { RestContext } from '../context.js';
import { DiscordErrors } from '../errors.js';
import type { HarnessRequest, RouteDefinition } from '../http.js';

/** The bot's own reactions: PUT / DELETE …/reactions/:emoji/@me. */
export function reactionRoutes(ctx: RestContext): RouteDefinition[] {
	const state = ctx.state;
	const target = (request: HarnessRequest, adding: boolean) => {
		const channel = state.channels.get(request.params.channel_id ?? '');
		if (!channel) throw DiscordErrors.unknownChannel();
		const guildId = state.guildIdOfChannel(channel.id);
		if (channel.type !== ChannelType.DM) {
			if (!guildId || !state.isBotInGuild(guildId)) throw DiscordErrors.missingAccess();
			const permissions = state.channelPermissions(guildId, state.botUser.id, channel.id);
			if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) throw DiscordErrors.missingAccess();
			if ((permissions & PermissionFlagsBits.ReadMessageHistory) === 0n) throw DiscordErrors.missingPermissions();
			const emoji = request.params.emoji ?? '';
			const isNew = ctx.reactions.usersOf(request.params.message_id ?? '', emoji).length === 0;
			if (adding && isNew && (permissions & PermissionFlagsBits.AddReactions) === 0n) throw DiscordErrors.missingPermissions();
		}
		const message = state.channelMessages.get(channel.id)?.get(request.params.message_id ?? '');
		if (!message) throw DiscordErrors.unknownMessage();
		return message;
	};
	const route = '/channels/:channel_id/messages/:message_id/reactions/:emoji/@me';
	return [
		{
			method: 'PUT',
			route,
			auth: true,
			handler: (request) => {
				ctx.reactions.apply(target(request, true), state.botUser.id, request.params.emoji ?? '', true);
				return { status: 204 };
			}
		},
		{
			method: 'DELETE',
			route,
			auth: true,
			handler: (request) => {
				ctx.reactions.apply(target(request, false), state.botUser.id, request.params.emoji ?? '', false);
				return { status: 204 };
			}
		}
	];
}
