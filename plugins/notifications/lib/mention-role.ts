import { PermissionFlagsBits, type APIRole, type ChatInputCommandInteraction, type Role } from 'discord.js';

/**
 * Why a role may not be a subscription's mention role, or undefined when it may. Not @everyone (its
 * id is the server's id): an admin must not make the bot ping the whole server on every event. And only a
 * role the bot can actually ping in that channel: one marked mentionable, or any when the bot holds
 * Mention @everyone, @here and All Roles there (Discord's rule for role mentions, which otherwise
 * arrive as plain text).
 */
export function mentionRoleProblem(
	interaction: ChatInputCommandInteraction<'cached' | 'raw'>,
	role: Role | APIRole,
	channelId: string
): string | undefined {
	if (role.id === interaction.guildId) return 'the @everyone role cannot be a mention role; pick a role members join to be told';
	if (role.mentionable) return undefined;
	if (botMayMentionAnyRole(interaction, channelId)) return undefined;
	return `<@&${role.id}> is not mentionable and the bot lacks the “Mention @everyone, @here and All Roles” permission in <#${channelId}>, so it could not ping that role; make the role mentionable or pick another`;
}

function botMayMentionAnyRole(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, channelId: string): boolean {
	try {
		return interaction.guild?.members.me?.permissionsIn(channelId).has(PermissionFlagsBits.MentionEveryone) ?? false;
	} catch {
		// A channel the bot cannot resolve: it cannot be shown to have the permission there.
		return false;
	}
}
