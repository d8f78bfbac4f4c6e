import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import { DISCORD_LIMITS, truncate } from '#sdk';
import { shareButtonId } from './custom-ids.js';
import type { VideoSummary } from './search-videos.js';

/** Discord's bounds on a message's buttons: 5 to an action row, 5 rows (discord-api-docs developers/components/reference.mdx). */
const BUTTONS_PER_ROW = 5;
const MAX_ROWS = 5;

/**
 * A Share button for each result shown, in the order shown, five to a row. A label is plain text (Discord
 * renders no markdown and pings no one in it), so the name is only cut to fit, not escaped.
 */
export function shareButtonRows(videos: readonly VideoSummary[]): ActionRowBuilder<ButtonBuilder>[] {
	const buttons = videos.slice(0, BUTTONS_PER_ROW * MAX_ROWS).map((video) =>
		new ButtonBuilder()
			.setCustomId(shareButtonId(video.id))
			.setStyle(ButtonStyle.Secondary)
			.setLabel(truncate(`Share: ${video.name}`, DISCORD_LIMITS.buttonLabel))
	);
	const rows: ActionRowBuilder<ButtonBuilder>[] = [];
	for (let start = 0; start < buttons.length; start += BUTTONS_PER_ROW) {
		rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(buttons.slice(start, start + BUTTONS_PER_ROW)));
	}
	return rows;
}
