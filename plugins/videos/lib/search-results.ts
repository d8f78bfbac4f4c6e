import { EmbedBuilder } from 'discord.js';
import { DISCORD_LIMITS, escapeAndTruncate, joinWholeItems, maskedLink, safeUrl, truncate } from '#sdk';
import { formatDuration, type VideoSummary } from './search-videos.js';

const KALTURA_BLUE = 0x00_6e_ff;
const NAME_LIMIT = 80;
const DESCRIPTION_LIMIT = 120;
const SEPARATOR = '\n\n';

/**
 * The ways one result can be shown, fullest first: name linked to the video, duration and description; without
 * the description; the name alone, unlinked, when even the link does not fit (a watch link template can make
 * links of thousands of characters). A result is always shown as one of these, whole, never cut inside.
 * Names and descriptions are someone else's text: escaped, so a name such as `x](https://evil) [y` stays a
 * name and no link but the watch link is made.
 */
function resultForms(video: VideoSummary, url: string): [full: string, linked: string, shortest: string] {
	const duration = formatDuration(video.durationSeconds);
	const linked = `**${maskedLink(video.name, url, NAME_LIMIT)}** · ${duration}`;
	const description = video.description === '' ? '' : `\n${escapeAndTruncate(video.description, DESCRIPTION_LIMIT)}`;
	return [`${linked}${description}`, linked, `**${escapeAndTruncate(video.name, NAME_LIMIT)}** · ${duration}`];
}

/**
 * The embed of a `/video search` answer. The results fill the description whole, in order, as many as fit
 * (each in its fullest form that fits; the first always, in its shortest form at worst); the footer counts the
 * ones shown, so a result left out for room is not passed over in silence. `shown` are those results, in order.
 */
export function searchResultsEmbed(
	query: string,
	total: number,
	videos: readonly VideoSummary[],
	watchUrl: (video: VideoSummary) => string
): { embed: EmbedBuilder; shown: readonly VideoSummary[] } {
	const lines: string[] = [];
	let used = 0;
	for (const video of videos) {
		const room = DISCORD_LIMITS.embedDescription - used - (lines.length === 0 ? 0 : SEPARATOR.length);
		const forms = resultForms(video, watchUrl(video));
		const fitting =
			lines.length === 0 ? (forms.find((form) => form.length <= room) ?? forms[2]) : forms.slice(0, 2).find((form) => form.length <= room);
		if (fitting === undefined) break;
		lines.push(fitting);
		used += fitting.length + (lines.length === 1 ? 0 : SEPARATOR.length);
	}
	const { text, count } = joinWholeItems(lines, SEPARATOR, DISCORD_LIMITS.embedDescription);
	const embed = new EmbedBuilder()
		.setTitle(`Videos matching “${escapeAndTruncate(query, DISCORD_LIMITS.embedTitle - 20)}”`)
		.setColor(KALTURA_BLUE)
		.setDescription(text)
		.setFooter({ text: truncate(total > count ? `Showing ${count} of ${total}` : `${count} found`, DISCORD_LIMITS.embedFooterText) });
	const thumbnail = videos[0]?.thumbnailUrl === undefined ? undefined : safeUrl(videos[0].thumbnailUrl);
	if (thumbnail !== undefined) embed.setThumbnail(thumbnail);
	return { embed, shown: videos.slice(0, count) };
}
