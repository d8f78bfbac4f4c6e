import type { APIApplicationCommand, APIChannel, APIMessage, APIUser } from 'discord-api-types/v10';
import { readStateFile, refill, refillSet, writeStateFile } from '../state-json.js';
import type { DiscordState, StoredGuild } from './state.js';

/** What persists of a Discord application between two runs: what Discord itself keeps (not sessions or interactions). */
interface SavedDiscordState {
	readonly applicationId: string;
	readonly users: Map<string, APIUser>;
	readonly guilds: Map<string, StoredGuild>;
	readonly channels: Map<string, APIChannel>;
	readonly channelMessages: Map<string, Map<string, APIMessage>>;
	readonly dmChannels: Map<string, string>;
	readonly globalCommands: Map<string, APIApplicationCommand>;
	readonly guildCommands: Map<string, Map<string, APIApplicationCommand>>;
	readonly closedDMs: Set<string>;
}

/**
 * Saves the stand-in's users, guilds (channels, roles, members), channel messages and registered commands, so a
 * later stand-in for the same application starts where this one stopped: ids stay what the bot stored, and
 * commands the bot registered stay registered (Discord keeps them; the bot re-registers only when they change).
 */
export function saveDiscordState(state: DiscordState, path: string): void {
	const saved: SavedDiscordState = {
		applicationId: state.applicationId,
		users: state.users,
		guilds: state.guilds,
		channels: state.channels,
		channelMessages: state.channelMessages,
		dmChannels: state.dmChannels,
		globalCommands: state.globalCommands,
		guildCommands: state.guildCommands,
		closedDMs: state.closedDMs
	};
	writeStateFile(path, saved);
}

/** Loads what `saveDiscordState` wrote into a fresh stand-in of the same application (start it with that `applicationId`). */
export function loadDiscordState(state: DiscordState, path: string): void {
	const saved = readStateFile<SavedDiscordState>(path);
	if (saved.applicationId !== state.applicationId) {
		throw new Error(`Discord stand-in: ${path} belongs to application ${saved.applicationId}, not ${state.applicationId}`);
	}
	refill(state.users, saved.users);
	state.users.set(state.botUser.id, state.botUser);
	refill(state.guilds, saved.guilds);
	refill(state.channels, saved.channels);
	refill(state.channelMessages, saved.channelMessages);
	refill(state.dmChannels, saved.dmChannels);
	refill(state.globalCommands, saved.globalCommands);
	refill(state.guildCommands, saved.guildCommands);
	refillSet(state.closedDMs, saved.closedDMs);
	state.changed();
}
