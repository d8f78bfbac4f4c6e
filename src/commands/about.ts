import type { Command } from '@sapphire/framework';
import { EmbedBuilder, SlashCommandBuilder, type ChatInputCommandInteraction, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { VersionedCommand } from '../core/commands/versioned-command.js';
import { replyPrivately, truncate } from '../core/discord/replies.js';
import { BOT_VERSION, CORE_API_VERSION } from '../core/version.js';

export class AboutCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, { version: '1.0.0', description: 'Show the bot’s version, its plugins and their commands' });
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [new SlashCommandBuilder().setName('about').setDescription('Show the bot’s version, its plugins and their commands').toJSON()];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction) {
		const { plugins, commandRegistrar, stores } = this.container;
		const commands = commandRegistrar.manifest(stores.get('commands'));
		const pluginLines = plugins.list().map(({ manifest }) => `**${manifest.name}** v${manifest.version}`);
		const commandLines = commands.map(({ name, type, version }) => `${type === 1 ? '/' : ''}${name} v${version}`);
		const embed = new EmbedBuilder()
			.setTitle('Kaltura for Discord')
			.setColor(0x00_6e_ff)
			.addFields(
				{ name: 'Version', value: `bot v${BOT_VERSION} · plugin API v${CORE_API_VERSION}` },
				{ name: 'Plugins', value: truncate(pluginLines.join('\n') || 'none installed', 1024) },
				{ name: 'Commands', value: truncate(commandLines.join('\n') || 'none', 1024) }
			);
		await replyPrivately(interaction, { embeds: [embed] });
	}
}
