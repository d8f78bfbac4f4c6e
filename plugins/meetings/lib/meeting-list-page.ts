import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import { DISCORD_LIMITS, joinWithin } from '#sdk';
import { listPageButtonId } from './custom-ids.js';
import { meetingLine } from './meeting-embed.js';
import type { MeetingsPage } from './use-cases/list-meetings.js';

export const LIST_PAGE_SIZE = 5;

/** One page of `/meeting list`, with Previous/Next buttons that fetch their page from Kaltura again (lists change). */
export function meetingListPage({ meetings, total, page, pages }: MeetingsPage) {
	if (total === 0)
		return { content: 'There are no active or upcoming meetings in this server. Start one with `/meeting start`.', embeds: [], components: [] };
	const embed = new EmbedBuilder()
		.setTitle('Meetings in this server')
		.setColor(0x00_6e_ff)
		// Each line escapes its own title; whole lines only, so no line's markdown is cut in half.
		.setDescription(joinWithin(meetings.map(meetingLine), '\n', DISCORD_LIMITS.embedDescription))
		.setFooter({ text: `Page ${page} of ${pages} · ${total} active or upcoming` });
	const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder()
			.setCustomId(listPageButtonId(page - 1))
			.setLabel('Previous')
			.setStyle(ButtonStyle.Secondary)
			.setDisabled(page <= 1),
		new ButtonBuilder()
			.setCustomId(listPageButtonId(page + 1))
			.setLabel('Next')
			.setStyle(ButtonStyle.Secondary)
			.setDisabled(page >= pages)
	);
	return { content: '', embeds: [embed], components: pages > 1 ? [row] : [] };
}
