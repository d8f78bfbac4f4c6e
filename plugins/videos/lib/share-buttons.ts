import { container } from '@sapphire/framework';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { DISCORD_LIMITS, truncate } from '#sdk';
import { shareButtonId } from './custom-ids.js';
import type { VideoSummary } from './search-videos.js';

/** Discord's bounds on a message's buttons: 5 to an action row, 5 rows (discord-api-docs developers/components/reference.mdx). */
const BUTTONS_PER_ROW = 5;
const MAX_ROWS = 5;
/** With a Watch together button beside each Share, a row holds two results' pairs (4 buttons) so no pair is split. */
const PAIRS_PER_ROW = 2;

/** The watch-together plugin's button (its custom id is that plugin's, answered by its handler). */
const WATCH_TOGETHER_PLUGIN = 'watch-together';
const watchTogetherButtonId = (entryId: string) => `${WATCH_TOGETHER_PLUGIN}:launch:${entryId}`;

/** Whether search results in this server get a Watch together button: the watch-together plugin is on there. */
export async function watchTogetherOn(guildId: string): Promise<boolean> {
	const { guildConfig } = container;
	const config = guildConfig.cached(guildId) ?? (await guildConfig.resolve(guildId));
	return guildConfig.isPluginEnabled(config, WATCH_TOGETHER_PLUGIN);
}

/**
 * A Share button for each result shown, in the order shown, five to a row; with `watchTogether`, a Watch together
 * button beside each Share, two results to a row. A label is plain text (Discord renders no markdown and pings no one
 * in it), so the name is only cut to fit, not escaped.
 */
export function shareButtonRows(
	videos: readonly VideoSummary[],
	options: { readonly watchTogether?: boolean } = {}
): ActionRowBuilder<ButtonBuilder>[] {
	const share = (video: VideoSummary) =>
		new ButtonBuilder()
			.setCustomId(shareButtonId(video.id))
			.setStyle(ButtonStyle.Secondary)
			.setLabel(truncate(`Share: ${video.name}`, DISCORD_LIMITS.buttonLabel));
	const watch = (video: VideoSummary) =>
		new ButtonBuilder()
			.setCustomId(watchTogetherButtonId(video.id))
			.setStyle(ButtonStyle.Primary)
			.setLabel(truncate(`Watch together: ${video.name}`, DISCORD_LIMITS.buttonLabel));
	const perRow = options.watchTogether === true ? PAIRS_PER_ROW : BUTTONS_PER_ROW;
	const shown = videos.slice(0, perRow * MAX_ROWS);
	const rows: ActionRowBuilder<ButtonBuilder>[] = [];
	for (let start = 0; start < shown.length; start += perRow) {
		const buttons = shown
			.slice(start, start + perRow)
			.flatMap((video) => (options.watchTogether === true ? [share(video), watch(video)] : [share(video)]));
		rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(buttons));
	}
	return rows;
}
