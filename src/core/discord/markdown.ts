import { escapeMarkdown } from 'discord.js';
import { ELLIPSIS, graphemes, truncateMarkdown } from './markdown-truncation.js';

export { truncateMarkdown };

/**
 * Discord's length limits for what the bot sends (discord-api-docs developers/resources/message.mdx, "Embed
 * Limits", and "Create Message" for content; developers/components/reference.mdx for a button's label).
 * Discord counts characters; these helpers count UTF-16 code units, which are never fewer, so a text that
 * fits here fits there.
 */
export const DISCORD_LIMITS = {
	content: 2000,
	embedTitle: 256,
	embedDescription: 4096,
	embedFieldName: 256,
	embedFieldValue: 1024,
	embedFooterText: 2048,
	embedAuthorName: 256,
	/** title, description, field names and values, footer text and author name of every embed of a message, together. */
	embedTotal: 6000,
	buttonLabel: 80,
	/** Autocomplete choices and select menu options. */
	choiceName: 100
} as const;

/**
 * Cuts `text` to at most `limit` UTF-16 code units, ellipsis included. It cuts only between grapheme clusters,
 * so an emoji (a surrogate pair), a ZWJ sequence such as a family, a flag, or a letter with its combining marks
 * is kept whole or left out whole: never a lone surrogate or half a family.
 */
export function truncate(text: string, limit: number): string {
	const max = Math.max(0, Math.floor(limit));
	if (text.length <= max) return text;
	const room = max - ELLIPSIS.length;
	if (room < 0) return '';
	return `${wholeGraphemesWithin(text, room)}${ELLIPSIS}`;
}

/**
 * Makes text from outside (Kaltura titles, descriptions, tags and names; meeting titles members typed; search
 * words) show as the very characters it holds wherever Discord renders markdown: content, embed titles and
 * descriptions, field names and values. Not for footers, author names, button labels or choice names, which
 * Discord shows as plain text (a backslash would show there).
 *
 * discord.js's escapeMarkdown (@discordjs/formatters, packages/formatters/src/escapers.ts) escapes backslashes,
 * code, bold, italic, underline, strikethrough and spoilers by default; headings, lists and masked links only
 * when asked, and its masked-link escape only covers a whole `[text](url)` in the same string. A value is often
 * put inside the admin's own markdown (`[{title}]({url})`), where `x](https://evil) [y` alone opens a link, so
 * every `[`, `]`, `(`, `)` is escaped here, and `<`/`>` (mentions, channel and command links, timestamps,
 * `<url>` links, block quotes). `-#` subtext lines are escaped too, and `@everyone`/`@here` get a zero-width
 * space so they stay text even where mentions are parsed. Text of unbounded length goes through
 * `escapeAndTruncate`, which escapes only what can fit.
 */
export function escapeText(text: string): string {
	return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true })
		.replaceAll(/[[\]()<>]/g, '\\$&')
		.replaceAll(/^(\s*)-#/gm, '$1\\-#')
		.replaceAll(/@(everyone|here)/g, '@\u200b$1');
}

/**
 * Escapes `text` and cuts it to `limit` (ellipsis included) between whole grapheme clusters, never between an
 * escape and the character it escapes.
 *
 * Only the first `limit` code units of the text are escaped: escaping never makes text shorter, so nothing after
 * them can fit, and escapeMarkdown's look-behinds (`(?<!https?:\/\/\S*)` and the like) take time that grows
 * with the square of a run without spaces (20,000 characters of `*a` take over a second): text from Kaltura
 * can be that long, and a bot that renders it must not stall on it.
 */
export function escapeAndTruncate(text: string, limit: number): string {
	const max = Math.max(0, Math.floor(limit));
	const source = text.length > max ? wholeGraphemesWithin(text, max) : text;
	const escaped = escapeText(source);
	if (source === text && escaped.length <= max) return escaped;
	const room = max - ELLIPSIS.length;
	if (room < 0) return '';
	// The escaped text is the source with characters added (backslashes, zero-width spaces) before the ones
	// they protect: walk both, and cut the escaped text where a whole grapheme of the source ends within room.
	let cut = 0;
	let at = 0;
	for (const { segment } of graphemes.segment(source)) {
		for (const character of segment) {
			while (at < escaped.length && !escaped.startsWith(character, at)) at++;
			at += character.length;
		}
		if (at > room) break;
		cut = at;
	}
	let kept = escaped.slice(0, cut);
	// A source backslash is escaped as two: a cut between them leaves an odd run that would escape the ellipsis.
	if ((/\\+$/.exec(kept)?.[0].length ?? 0) % 2 === 1) kept = kept.slice(0, -1);
	return `${kept}${ELLIPSIS}`;
}

/** The longest prefix of whole grapheme clusters within `limit` code units. */
function wholeGraphemesWithin(text: string, limit: number): string {
	let end = 0;
	for (const { index, segment } of graphemes.segment(text)) {
		if (index + segment.length > limit) break;
		end = index + segment.length;
	}
	return text.slice(0, end);
}

/**
 * A URL that may go into markdown (`[label](url)`) or a link button: http or https only (no `javascript:`,
 * `data:` or `discord:` schemes), no user name or password (`https://kaltura.com@evil/` reads as Kaltura), and
 * `(`, `)`, `<`, `>`, spaces and quotes percent-encoded so it cannot end the link early. Undefined when unfit.
 */
export function safeUrl(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url.trim());
	} catch {
		return undefined;
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
	if (parsed.username !== '' || parsed.password !== '') return undefined;
	return parsed.href.replaceAll(/[()<>\s"'`]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `[label](url)` with the label escaped and cut to `labelLimit`; the label alone, escaped, when the URL is unfit. */
export function maskedLink(label: string, url: string, labelLimit: number = DISCORD_LIMITS.embedTitle): string {
	const text = escapeAndTruncate(label, labelLimit);
	const target = safeUrl(url);
	return target === undefined ? text : `[${text}](${target})`;
}

/** An id or other short token as inline code; backticks and line breaks, which would end the code span, are dropped. */
export function inlineCode(text: string): string {
	const inner = text.replaceAll(/[`\r\n]/g, '');
	return inner === '' ? '' : `\`${inner}\``;
}

/**
 * Joins as many whole lines as fit in `limit` (the first, cut by `truncateMarkdown`, when even it does not), so a
 * list of markdown lines never ends in half a link or half an escape.
 */
export function joinWithin(lines: readonly string[], separator: string, limit: number): string {
	return joinWholeItems(lines, separator, limit).text;
}

/**
 * `joinWithin`, saying how many of the items are in the text (a cut first one counts), so the caller can say
 * how many were left out.
 */
export function joinWholeItems(items: readonly string[], separator: string, limit: number): { text: string; count: number } {
	let text = '';
	let count = 0;
	for (const item of items) {
		const next = count === 0 ? item : `${text}${separator}${item}`;
		if (next.length > limit) return count === 0 ? { text: truncateMarkdown(item, limit), count: 1 } : { text, count };
		text = next;
		count++;
	}
	return { text, count };
}
