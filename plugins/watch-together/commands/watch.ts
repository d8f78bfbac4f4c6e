import type { Command } from '@sapphire/framework';
import {
	ChannelType,
	SlashCommandBuilder,
	type AutocompleteInteraction,
	type ChatInputCommandInteraction,
	type RESTPostAPIApplicationCommandsJSONBody
} from 'discord.js';
import { autocompleteAllowed, replyPrivately, timelyAutocompleteOf, truncate, VersionedCommand } from '#sdk';
import { guildVideoCatalogue, isEntryId, type VideoSummary } from '../../videos/api.js';
import { CANNOT_WATCH_MESSAGE, launchWatch } from '../lib/launch-watch.js';

/** Loads the catalogue for one `<guild>\0<typed text>` key. */
function loadSuggestions(key: string): Promise<VideoSummary[]> {
	const [guildId = '', query = ''] = key.split('\u0000');
	return guildVideoCatalogue(guildId, query);
}

/**
 * `/watch entry:<video> [channel:<voice channel>]`: starts a watch-together Activity in the voice channel with that
 * video. Any member may use it (where the plugin is on); the video must be one their own Kaltura session sees.
 */
export class WatchCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, { name: 'watch', version: '1.0.0', description: 'Watch a Kaltura video together in a voice channel', runIn: ['GUILD_ANY'] });
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			new SlashCommandBuilder()
				.setName('watch')
				.setDescription('Watch a Kaltura video together in a voice channel')
				.setContexts(0)
				.addStringOption((option) =>
					option
						.setName('entry')
						.setDescription('The video (type to search)')
						.setRequired(true)
						.setMinLength(2)
						.setMaxLength(100)
						.setAutocomplete(true)
				)
				.addChannelOption((option) =>
					option
						.setName('channel')
						.setDescription('The voice channel (default: this one)')
						.addChannelTypes(ChannelType.GuildVoice, ChannelType.GuildStageVoice)
				)
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const entryId = interaction.options.getString('entry', true).trim();
		// Autocomplete sends the entry id; a member may also type any text, which names no entry.
		if (!isEntryId(entryId)) return replyPrivately(interaction, CANNOT_WATCH_MESSAGE);
		await launchWatch(interaction, entryId, interaction.options.getChannel('channel')?.id);
	}

	public override async autocompleteRun(interaction: AutocompleteInteraction) {
		const startedAt = Date.now();
		if (interaction.guildId === null || !(await autocompleteAllowed(interaction, this))) return interaction.respond([]);
		const typed = interaction.options.getFocused().trim();
		// Kaltura's search needs two characters, as /video search does.
		if (typed.length < 2) return interaction.respond([]);
		// Per server and typed text, from a short-lived cache: Discord waits 3 s for an autocomplete, Kaltura may take longer.
		const answer = await timelyAutocompleteOf(this, loadSuggestions).get(`${interaction.guildId}\u0000${typed.slice(0, 100)}`, startedAt);
		const videos = answer?.value ?? [];
		await interaction.respond(videos.slice(0, 25).map((video) => ({ name: truncate(video.name, 100), value: video.id })));
	}
}
