import type { APIApplicationCommand } from 'discord-api-types/v10';
import { DiscordErrors } from '../errors.js';
import { MessageState } from './messages.js';
import type { CommandScope, StoredGuild } from './shapes.js';

/**
 * Everything the stand-in knows: users, guilds (channels, roles, members), messages,
 * DM channels and application commands. Pure data plus rendering to API shapes; it
 * neither talks HTTP nor dispatches gateway events (the server does that).
 */
export class DiscordState extends MessageState {
	// ----------------------------------------------------------------------------- commands

	public commandMap(scope: CommandScope): Map<string, APIApplicationCommand> {
		if (scope.guildId === undefined) return this.globalCommands;
		let commands = this.guildCommands.get(scope.guildId);
		if (!commands) {
			commands = new Map();
			this.guildCommands.set(scope.guildId, commands);
		}
		return commands;
	}

	/** A registered command by name and type: guild scope first, then global. */
	public findCommand(name: string, type: number, guildId?: string): APIApplicationCommand | undefined {
		if (guildId !== undefined) {
			for (const command of this.guildCommands.get(guildId)?.values() ?? []) {
				if (command.name === name && command.type === type) return command;
			}
		}
		for (const command of this.globalCommands.values()) {
			if (command.name === name && command.type === type) return command;
		}
		return undefined;
	}
}

/** Throws Discord's 404 for a guild the bot cannot see. */
export function requireBotGuild(state: DiscordState, guildId: string): StoredGuild {
	const guild = state.guilds.get(guildId);
	if (!guild) throw DiscordErrors.unknownGuild();
	if (!guild.members.has(state.botUser.id)) throw DiscordErrors.missingAccess();
	return guild;
}
