import type { Command } from '@sapphire/framework';
import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { escapeAndTruncate, VersionedCommand } from '#sdk';
import { searchResultsEmbed } from '../lib/search-results.js';
import { shareButtonRows, watchTogetherOn } from '../lib/share-buttons.js';
import { searchGuildVideos } from '../lib/use-cases/search-guild-videos.js';

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
		const { total, found } = await searchGuildVideos(interaction.guildId, query);
		if (found.length === 0) return void (await interaction.editReply(`No videos match “${escapeAndTruncate(query, 100)}”.`));
		// Every video found comes with its link, made (or refused, with the setting to fix) by the search.
		const watchUrls = new Map(found.map(({ video, watchUrl }) => [video, watchUrl]));
		const { embed, shown } = searchResultsEmbed(
			query,
			total,
			found.map(({ video }) => video),
			(video) => watchUrls.get(video) ?? ''
		);
		// A Share button for each result shown: pressing one posts that video in the channel, checked with the presser's own session.
		await interaction.editReply({
			embeds: [embed],
			components: shareButtonRows(shown, { watchTogether: await watchTogetherOn(interaction.guildId) })
		});
	}
}
