import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import { DISCORD_LIMITS, escapeAndTruncate, inlineCode, truncate } from '#sdk';
import { meetingStatus, type Meeting, type MeetingStatus } from './meeting.js';
import { MEETING_TYPE_LABELS } from './meeting-types.js';
import { joinButtonId } from './custom-ids.js';

const KALTURA_BLUE = 0x00_6e_ff;
const ENDED_GREY = 0x80_84_8e;

const STATUS_TEXT: Readonly<Record<MeetingStatus, string>> = {
	scheduled: '🗓️ Scheduled',
	live: '🟢 Live now',
	ended: '⚪ Ended'
};

/**
 * The host as a mention. The id comes from the event's tags on Kaltura (checked when read, see
 * parseOriginTags); it is checked again here because a mention is markdown the bot writes: anything but a
 * snowflake inside `<@…>` could close it and add a link to a post the bot signs.
 */
function hostMention(hostId: string): string {
	return /^\d{17,20}$/.test(hostId) ? `<@${hostId}>` : 'unknown';
}

/**
 * The public announcement: what, who, when; Discord renders the timestamps in each reader's time zone.
 * The title and description are what a member typed (or Kaltura holds): escaped, so they show as typed and
 * cannot add links or mentions to a post the bot signs.
 */
export function meetingEmbed(meeting: Meeting, status: MeetingStatus = meetingStatus(meeting)): EmbedBuilder {
	const embed = new EmbedBuilder()
		.setTitle(escapeAndTruncate(meeting.title, DISCORD_LIMITS.embedTitle))
		.setColor(status === 'ended' ? ENDED_GREY : KALTURA_BLUE)
		.addFields(
			{ name: 'Type', value: MEETING_TYPE_LABELS[meeting.type], inline: true },
			{ name: 'Host', value: hostMention(meeting.hostId), inline: true },
			{ name: 'Status', value: STATUS_TEXT[status], inline: true },
			{ name: 'Starts', value: `<t:${meeting.startsAt}:F> (<t:${meeting.startsAt}:R>)`, inline: true },
			{ name: 'Ends', value: `<t:${meeting.endsAt}:F>`, inline: true }
		)
		// Footers show no markdown: plain text, only cut.
		.setFooter({ text: truncate(`Kaltura meeting ${meeting.id}`, DISCORD_LIMITS.embedFooterText) });
	if (meeting.description !== '') embed.setDescription(escapeAndTruncate(meeting.description, DISCORD_LIMITS.embedDescription));
	return embed;
}

/** The Join button; every press makes a link for the member who pressed it. */
export function joinRow(meeting: Meeting): ActionRowBuilder<ButtonBuilder> {
	// A live stream is watched, not joined: the button says so (and answers with the watch link).
	const label = meeting.type === 'live' ? 'Watch' : 'Join';
	return new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder().setCustomId(joinButtonId(meeting.id)).setLabel(label).setStyle(ButtonStyle.Success).setEmoji('🎥')
	);
}

/** The announcement as posted: with the Join button while the meeting can still be joined, without once it ended. */
export function announcement(meeting: Meeting, status: MeetingStatus = meetingStatus(meeting)) {
	return { embeds: [meetingEmbed(meeting, status)], components: status === 'ended' ? [] : [joinRow(meeting)] };
}

/** One line per meeting, for lists and autocomplete. */
export function meetingLine(meeting: Meeting): string {
	return `**${escapeAndTruncate(meeting.title, 80)}** · ${MEETING_TYPE_LABELS[meeting.type]} · <t:${meeting.startsAt}:f>–<t:${meeting.endsAt}:t> · host ${hostMention(meeting.hostId)} · ${inlineCode(meeting.id)}`;
}
