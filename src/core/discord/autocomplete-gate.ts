import { container } from '@sapphire/framework';
import type { AutocompleteInteraction } from 'discord.js';
import { CORE_OWNER } from '../plugins/plugin-registry.js';
import { isServedGuild } from '../policy/guild-allowlist.js';

/**
 * Whether a command's `autocompleteRun` may answer with suggestions. Sapphire calls `autocompleteRun`
 * directly, without the global preconditions (`guild-allowed`, `plugin-enabled`), and Discord sends an
 * autocomplete request on every keystroke, so a handler that looks things up on Kaltura would otherwise
 * do so in a server outside ALLOWED_GUILD_IDS, or where its plugin is off. Each `autocompleteRun` asks
 * this first and answers an empty list when it says no. Mirrors the preconditions: outside a server,
 * only the server-independent checks apply.
 */
export async function autocompleteAllowed(interaction: AutocompleteInteraction, command: { readonly name: string }): Promise<boolean> {
	const { guildId } = interaction;
	if (guildId === null) return true;
	if (!isServedGuild(guildId)) return false;
	const owner = container.plugins.ownerOf('commands', command.name);
	if (owner === undefined || owner === CORE_OWNER) return true;
	const { guildConfig } = container;
	try {
		const config = guildConfig.cached(guildId) ?? (await guildConfig.resolve(guildId));
		return guildConfig.isPluginEnabled(config, owner);
	} catch (error) {
		// A suggestion is never worth a guess: with the configuration unreadable, none is offered.
		container.logger.warn(
			`Autocomplete of /${interaction.commandName} in guild ${guildId}: the configuration could not be read; no suggestions:`,
			error
		);
		return false;
	}
}
