import { InteractionHandler, type Option } from '@sapphire/framework';
import type { Interaction } from 'discord.js';
import { CORE_OWNER } from '../plugins/plugin-registry.js';
import { GUILD_NOT_ALLOWED_MESSAGE, isGuildAllowed, operatorPolicy } from '../policy/operator-policy.js';
import { pluginDisabledMessage } from './command-denial.js';
import { replyPrivately } from './replies.js';
import { outcomeOfError, recordInteraction } from '../metrics/interaction-metrics.js';

/** What a plugin handler's `parse` hands to `run`: its own data, or why it may not act here (its plugin is off, or the server is not served). */
export type GatedParse<T> =
	| { readonly enabled: true; readonly data: T }
	| { readonly enabled: false; readonly plugin: string }
	| { readonly enabled: false; readonly guildNotAllowed: true };

/**
 * An interaction handler (button, select, modal, autocomplete) of a plugin. Sapphire runs no
 * preconditions for these, so what the global preconditions check for commands is checked here, in
 * `parse`: in a server outside ALLOWED_GUILD_IDS, or one where the plugin is off, the member is told so
 * instead of the component working, or silently failing.
 */
export abstract class PluginInteractionHandler<T = unknown> extends InteractionHandler {
	public override async parse(interaction: Interaction): Promise<Option<GatedParse<T>>> {
		const parsed = await this.parseInteraction(interaction);
		if (parsed.isNone()) return this.none();
		if (interaction.guildId !== null && !isGuildAllowed(operatorPolicy(), interaction.guildId))
			return this.some({ enabled: false, guildNotAllowed: true });
		const owner = this.container.plugins.ownerOf('interaction-handlers', this.name);
		if (owner !== undefined && owner !== CORE_OWNER && interaction.guildId !== null) {
			const { guildConfig } = this.container;
			const config = guildConfig.cached(interaction.guildId) ?? (await guildConfig.resolve(interaction.guildId));
			if (!guildConfig.isPluginEnabled(config, owner)) return this.some({ enabled: false, plugin: owner });
		}
		return this.some({ enabled: true, data: parsed.unwrap() });
	}

	public override async run(interaction: Interaction, parsed: GatedParse<T>): Promise<void> {
		if (parsed.enabled) {
			try {
				await this.handle(interaction, parsed.data);
				recordInteraction(interaction, this.name, 'ok');
			} catch (error) {
				recordInteraction(interaction, this.name, outcomeOfError(error));
				throw error;
			}
			return;
		}
		recordInteraction(interaction, this.name, 'denied');
		if (interaction.isAutocomplete()) return void (await interaction.respond([]));
		if (interaction.isRepliable()) {
			await replyPrivately(interaction, 'plugin' in parsed ? pluginDisabledMessage(parsed.plugin) : GUILD_NOT_ALLOWED_MESSAGE);
		}
	}

	/** Claims the interactions this handler answers (match on your plugin's custom id prefix), or `none()`. */
	protected abstract parseInteraction(interaction: Interaction): Promise<Option<T>> | Option<T>;

	protected abstract handle(interaction: Interaction, data: T): Promise<void>;
}
