import type { Command } from '@sapphire/framework';
import {
	EmbedBuilder,
	PermissionFlagsBits,
	SlashCommandBuilder,
	type AutocompleteInteraction,
	type SlashCommandStringOption,
	type ChatInputCommandInteraction,
	type RESTPostAPIApplicationCommandsJSONBody
} from 'discord.js';
import { VersionedCommand } from '../core/commands/versioned-command.js';
import { autocompleteAllowed } from '../core/discord/autocomplete-gate.js';
import { replyPrivately } from '../core/discord/replies.js';
import { setPluginEnabled } from '../core/plugins/plugin-switches.js';

const EMBED_COLOUR = 0x00_6e_ff;

export class PluginsCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		// 1.0.1: an installed plugin that is not loaded is offered and says why; the list tells members to ask an admin.
		super(context, { version: '1.0.1', description: 'List, enable and disable this server’s plugins', runIn: ['GUILD_ANY'] });
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		const pluginOption = (description: string) => (option: SlashCommandStringOption) =>
			option.setName('plugin').setDescription(description).setRequired(true).setAutocomplete(true);
		return [
			new SlashCommandBuilder()
				.setName('plugins')
				.setDescription('List, enable and disable this server’s plugins')
				.setContexts(0)
				.addSubcommand((sub) => sub.setName('list').setDescription('Show every plugin, its version and whether it is on here'))
				.addSubcommand((sub) =>
					sub.setName('enable').setDescription('Turn a plugin on in this server').addStringOption(pluginOption('The plugin to turn on'))
				)
				.addSubcommand((sub) =>
					sub.setName('disable').setDescription('Turn a plugin off in this server').addStringOption(pluginOption('The plugin to turn off'))
				)
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const subcommand = interaction.options.getSubcommand(true);
		if (subcommand === 'list') return this.list(interaction);
		if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
			return replyPrivately(interaction, `Turning plugins on or off needs the **Manage Server** permission.`);
		}
		const name = interaction.options.getString('plugin', true);
		const enabled = subcommand === 'enable';
		const outcome = await setPluginEnabled(this.container.plugins, this.container.guildConfig, interaction.guildId, name, enabled);
		if (!outcome.ok) return replyPrivately(interaction, outcome.message);
		if (outcome.changed) {
			await this.container.audit.record({
				guildId: interaction.guildId,
				actorId: interaction.user.id,
				source: 'command',
				action: enabled ? 'plugin.enable' : 'plugin.disable',
				target: name,
				changes: { before: !enabled, after: enabled }
			});
		}
		const state = enabled ? 'on' : 'off';
		return replyPrivately(
			interaction,
			outcome.changed ? `The **${name}** plugin is now ${state} in this server.` : `The **${name}** plugin was already ${state}.`
		);
	}

	public override async autocompleteRun(interaction: AutocompleteInteraction) {
		if (!(await autocompleteAllowed(interaction, this))) return interaction.respond([]);
		const typed = interaction.options.getFocused().toLowerCase();
		const { plugins } = this.container;
		// Plugins that are installed but not loaded are offered too: choosing one says why it is not loaded.
		const choices = [...plugins.list().map(({ manifest }) => manifest.name), ...plugins.refusals().map((refusal) => refusal.name)]
			.filter((name) => name.includes(typed))
			.slice(0, 25)
			.map((name) => ({ name, value: name }));
		await interaction.respond(choices);
	}

	private async list(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const { plugins, guildConfig } = this.container;
		const config = await guildConfig.resolve(interaction.guildId);
		const loaded = plugins.list();
		const embed = new EmbedBuilder().setTitle('Plugins').setColor(EMBED_COLOUR);
		if (loaded.length === 0) embed.setDescription('No plugins are installed on this bot.');
		for (const { manifest } of loaded.slice(0, 25)) {
			const state = guildConfig.isPluginEnabled(config, manifest.name) ? '🟢 on' : '⚪ off';
			embed.addFields({ name: `${manifest.name} v${manifest.version} — ${state}`, value: manifest.description });
		}
		const refused = plugins.refusals();
		if (refused.length > 0) {
			const names = refused.map((entry) => entry.name).join(', ');
			// Admins can act on the reason (ask the operator for what is missing); members can only ask an admin.
			const canManage = interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild);
			embed.setFooter({
				text: canManage
					? `Installed but not loaded on this bot: ${names}. /plugins enable says why and what the bot's operator has to do.`
					: `Installed but not loaded on this bot: ${names}. If you need one, ask a server admin.`
			});
		}
		await replyPrivately(interaction, { embeds: [embed] });
	}
}
