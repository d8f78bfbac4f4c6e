import { EmbedBuilder } from 'discord.js';
import { DISCORD_LIMITS, escapeAndTruncate, maskedLink, safeUrl, truncate } from '#sdk';
import { formatDuration } from './search-videos.js';

const KALTURA_BLUE = 0x00_6e_ff;
/** A share is a pointer to the video, not its page: the description is a taste of it. */
const DESCRIPTION_LIMIT = 300;
const OWNER_LIMIT = 100;

/** A video as a share posts it: what Kaltura said of it, read with the sharing member's session. */
export interface VideoToShare {
	readonly id: string;
	readonly name: string;
	readonly description: string;
	readonly durationSeconds: number;
	readonly thumbnailUrl: string | undefined;
	/**
	 * The display name of the entry's owner (else its creator), as their Kaltura user gives it; undefined when they have
	 * none fit to show publicly. Never a user id: those are often email addresses.
	 */
	readonly owner: string | undefined;
}

/**
 * The public post of a shared video: its name linking to the player page, a Watch link, the duration and the
 * owner's name (left out when there is none to show), and its thumbnail. Everything from Kaltura is someone else's text: escaped, so a name such as
 * `x](https://evil) [y` stays a name and only the watch link is a link, and cut to Discord's limits.
 */
export function shareEmbed(video: VideoToShare, watchUrl: string, sharedBy: string): EmbedBuilder {
	const watch = maskedLink('▶ Watch', watchUrl);
	const description = video.description === '' ? watch : `${escapeAndTruncate(video.description, DESCRIPTION_LIMIT)}\n\n${watch}`;
	const embed = new EmbedBuilder()
		.setTitle(escapeAndTruncate(video.name, DISCORD_LIMITS.embedTitle))
		.setColor(KALTURA_BLUE)
		.setDescription(description)
		.addFields({ name: 'Duration', value: formatDuration(video.durationSeconds), inline: true })
		// The footer is plain text (no markdown, no mentions): the member's name as Discord shows it, cut to fit.
		.setFooter({ text: truncate(`Shared by ${sharedBy}`, DISCORD_LIMITS.embedFooterText) });
	if (video.owner !== undefined) embed.addFields({ name: 'Owner', value: escapeAndTruncate(video.owner, OWNER_LIMIT), inline: true });
	const url = safeUrl(watchUrl);
	if (url !== undefined) embed.setURL(url);
	const thumbnail = video.thumbnailUrl === undefined ? undefined : safeUrl(video.thumbnailUrl);
	if (thumbnail !== undefined) embed.setThumbnail(thumbnail);
	return embed;
}
