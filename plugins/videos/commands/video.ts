import type { Command } from '@sapphire/framework';
import { EmbedBuilder, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { VersionedCommand } from '../../../src/core/commands/versioned-command.js';
import { DISCORD_LIMITS, escapeAndTruncate, joinWithin, maskedLink, safeUrl, truncate } from '../../../src/core/discord/markdown.js';
import { KalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import { LinkPolicyError } from '../../../src/core/policy/link-url.js';
import { formatDuration, searchVideos, watchUrlOf } from '../lib/search-videos.js';
import { videosConfig } from '../lib/videos-config.js';

const KALTURA_BLUE = 0x00_6e_ff;

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
						.addStringOption((option) => option.setName('query').setDescription('What to look for').setRequired(true).setMinLength(2).setMaxLength(100))
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
			// Names, descriptions and the query are someone else's text: escaped, so a name such as
			// `x](https://evil) [y` stays a name and no link but the watch link is made.
			const lines = videos.map((video) => {
				const url = watchUrlOf(settings.watchUrlTemplate, partnerId, video.id);
				return `**${maskedLink(video.name, url, 80)}** · ${formatDuration(video.durationSeconds)}${video.description ? `\n${escapeAndTruncate(video.description, 120)}` : ''}`;
			});
			const embed = new EmbedBuilder()
				.setTitle(`Videos matching “${escapeAndTruncate(query, DISCORD_LIMITS.embedTitle - 20)}”`)
				.setColor(KALTURA_BLUE)
				.setDescription(joinWithin(lines, '\n\n', DISCORD_LIMITS.embedDescription))
				.setFooter({ text: truncate(total > videos.length ? `Showing ${videos.length} of ${total}` : `${videos.length} found`, DISCORD_LIMITS.embedFooterText) });
			const thumbnail = videos[0]?.thumbnailUrl === undefined ? undefined : safeUrl(videos[0].thumbnailUrl);
			if (thumbnail !== undefined) embed.setThumbnail(thumbnail);
			await interaction.editReply({ embeds: [embed] });
		} catch (error) {
			if (error instanceof LinkPolicyError) return void (await interaction.editReply(error.message));
			if (!(error instanceof KalturaError)) throw error;
			this.container.logger.warn(`Video search failed in guild ${interaction.guildId}: ${error.code}`);
			await interaction.editReply(`The search did not work: ${error.userMessage}`);
		}
	}
}
