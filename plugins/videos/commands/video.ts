import type { Command } from '@sapphire/framework';
import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { escapeAndTruncate, KalturaError, LinkPolicyError, VersionedCommand } from '#sdk';
import { searchResultsEmbed } from '../lib/search-results.js';
import { searchVideos, watchUrlOf } from '../lib/search-videos.js';
import { videosConfig } from '../lib/videos-config.js';

export class VideoCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, { version: '1.0.0', description: 'Search Kaltura videos', runIn: ['GUILD_ANY'] });
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			new SlashCommandBuilder()
				.setName('video')
				.setDescription('Search Kaltura videos')
				.setContexts(0)
				.addSubcommand((sub) =>
					sub
						.setName('search')
						.setDescription('Find videos by words in their title, description or tags')
						.addStringOption((option) =>
							option.setName('query').setDescription('What to look for').setRequired(true).setMinLength(2).setMaxLength(100)
						)
				)
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		// Kaltura may take longer than Discord's 3-second window; acknowledge first, answer when it replies.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const query = interaction.options.getString('query', true).trim();
		const settings = videosConfig(await this.container.guildConfig.resolve(interaction.guildId));
		try {
			const { total, videos } = await searchVideos(this.container.kaltura, query, settings.resultLimit, settings.categoryIds);
			if (videos.length === 0) {
				await interaction.editReply(`No videos match “${escapeAndTruncate(query, 100)}”.`);
				return;
			}
			const partnerId = String(this.container.kaltura.partnerId);
			const embed = searchResultsEmbed(query, total, videos, (video) => watchUrlOf(settings.watchUrlTemplate, partnerId, video.id));
			await interaction.editReply({ embeds: [embed] });
		} catch (error) {
			if (error instanceof LinkPolicyError) return void (await interaction.editReply(error.message));
			if (!(error instanceof KalturaError)) throw error;
			this.container.logger.warn(`Video search failed in guild ${interaction.guildId}: ${error.code}`);
			await interaction.editReply(`The search did not work: ${error.userMessage}`);
		}
	}
}
