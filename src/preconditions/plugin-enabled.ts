import { Precondition, type ChatInputCommand, type ContextMenuCommand } from '@sapphire/framework';
import type { ChatInputCommandInteraction, ContextMenuCommandInteraction } from 'discord.js';
import { pluginDisabledMessage } from '../core/discord/command-denial.js';
import { CORE_OWNER } from '../core/plugins/plugin-registry.js';

/** Global precondition: a plugin's commands answer only in guilds where that plugin is on. */
export class PluginEnabledPrecondition extends Precondition {
	public constructor(context: Precondition.LoaderContext) {
		// After Sapphire's own `Enabled` (10), before anything a plugin adds.
		super(context, { position: 20 });
	}

	public override chatInputRun(interaction: ChatInputCommandInteraction, command: ChatInputCommand) {
		return this.check(interaction.guildId, command.name);
	}

	public override contextMenuRun(interaction: ContextMenuCommandInteraction, command: ContextMenuCommand) {
		return this.check(interaction.guildId, command.name);
	}

	private async check(guildId: string | null, pieceName: string) {
		const owner = this.container.plugins.ownerOf('commands', pieceName);
		if (guildId === null || owner === undefined || owner === CORE_OWNER) return this.ok();
		const { guildConfig } = this.container;
		const config = guildConfig.cached(guildId) ?? (await guildConfig.resolve(guildId));
		if (guildConfig.isPluginEnabled(config, owner)) return this.ok();
		return this.error({
			identifier: 'pluginDisabled',
			message: pluginDisabledMessage(owner),
			context: { plugin: owner }
		});
	}
}
