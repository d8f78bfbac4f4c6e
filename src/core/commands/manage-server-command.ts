import { PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { VersionedCommandOptions } from './versioned-command.js';

/**
 * The piece options of a server command for admins: run in servers only, by members with Manage Server
 * (Sapphire checks it again on every run, whatever the server's integration settings say).
 */
export function manageServerOptions(options: Pick<VersionedCommandOptions, 'version' | 'description'>): VersionedCommandOptions {
	return { ...options, runIn: ['GUILD_ANY'], requiredUserPermissions: [PermissionFlagsBits.ManageGuild] };
}

/** A slash command used in servers only, shown by default to members with Manage Server alone. */
export function manageServerSlashCommand(name: string, description: string): SlashCommandBuilder {
	return new SlashCommandBuilder()
		.setName(name)
		.setDescription(description)
		.setContexts(0)
		.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);
}
