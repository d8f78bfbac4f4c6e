import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import { DISCORD_LIMITS, joinWithin, type KalturaFacade } from '#sdk';
import { listPageButtonId } from './custom-ids.js';
import { listGuildMeetings } from './find-meetings.js';
import { meetingLine } from './meeting-embed.js';

export const LIST_PAGE_SIZE = 5;

/** One page of `/meeting list`, with Previous/Next buttons that fetch their page from Kaltura again (lists change). */
export async function meetingListPage(facade: KalturaFacade, guildId: string, requestedPage: number) {
	const pageIndex = Math.max(1, Math.floor(requestedPage));
	let page = await listGuildMeetings(facade, guildId, { size: LIST_PAGE_SIZE, index: pageIndex });
	const pages = Math.max(1, Math.ceil(page.total / LIST_PAGE_SIZE));
	let current = pageIndex;
	// The list shrank since the buttons were drawn (meetings ended): show its last page instead of an empty one.
	if (page.meetings.length === 0 && pageIndex > pages) {
		current = pages;
		page = await listGuildMeetings(facade, guildId, { size: LIST_PAGE_SIZE, index: current });
	}
	if (page.total === 0)
		return { content: 'There are no active or upcoming meetings in this server. Start one with `/meeting start`.', embeds: [], components: [] };
	const embed = new EmbedBuilder()
		.setTitle('Meetings in this server')
		.setColor(0x00_6e_ff)
		// Each line escapes its own title; whole lines only, so no line's markdown is cut in half.
		.setDescription(joinWithin(page.meetings.map(meetingLine), '\n', DISCORD_LIMITS.embedDescription))
		.setFooter({ text: `Page ${current} of ${pages} · ${page.total} active or upcoming` });
	const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder()
			.setCustomId(listPageButtonId(current - 1))
			.setLabel('Previous')
			.setStyle(ButtonStyle.Secondary)
			.setDisabled(current <= 1),
		new ButtonBuilder()
			.setCustomId(listPageButtonId(current + 1))
			.setLabel('Next')
			.setStyle(ButtonStyle.Secondary)
			.setDisabled(current >= pages)
	);
	return { content: '', embeds: [embed], components: pages > 1 ? [row] : [] };
}
