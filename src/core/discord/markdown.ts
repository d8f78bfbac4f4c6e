import { escapeMarkdown } from 'discord.js';

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

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

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
 * Cuts markdown to at most `limit` UTF-16 code units, ellipsis included, only where nothing is left half made:
 * never inside an escape (`\*`), a masked link (`[label](url)`), a bare link, an angle-bracket token (`<@id>`,
 * `<#id>`, `<t:…:R>`, `<https://…>`), a code span or block, or a grapheme cluster. Emphasis that is open where the
 * text is cut (`**`, `__`, `*`, `_`, `~~`, `||`, each only when the text closes it further on) is closed after the
 * ellipsis, so no delimiter is left showing. A token that does not fit is left out whole, and everything after it.
 */
export function truncateMarkdown(markdown: string, limit: number): string {
	const max = Math.max(0, Math.floor(limit));
	if (markdown.length <= max) return markdown;
	if (max < ELLIPSIS.length) return '';
	// Nothing past the limit is kept: a bounded window is enough to tell the tokens and pairs that reach into it.
	const source = markdown.slice(0, max + MARKDOWN_LOOKAHEAD);
	const tokens = markdownTokens(source);
	pairDelimiters(tokens);
	const open: MarkdownToken[] = [];
	const cuts: { at: number; closing: string }[] = [];
	let previous: MarkdownToken | undefined;
	let closing = '';
	for (const token of tokens) {
		if (token.start + ELLIPSIS.length > max) break;
		// Right after an opener the span would hold the ellipsis alone (`**…**`): the cut before the opener is as good.
		if (token.start + ELLIPSIS.length + closing.length <= max && previous?.pair !== 'opens') cuts.push({ at: token.start, closing });
		if (token.pair !== undefined) {
			if (token.pair === 'opens') open.push(token);
			else open.splice(open.lastIndexOf(token.partner!), 1);
			closing = open
				.map((opener) => opener.text)
				.reverse()
				.join('');
		}
		previous = token;
	}
	// The latest cut that also falls between grapheme clusters (a letter and its combining marks are separate tokens).
	const best = cuts.findLast((cut) => isGraphemeBoundary(source, cut.at)) ?? { at: 0, closing: '' };
	const kept = source.slice(0, best.at).trimEnd();
	return `${kept}${ELLIPSIS}${best.closing}`;
}

/** How much text on each side of a position `isGraphemeBoundary` segments: clusters are never anywhere near as long. */
const GRAPHEME_WINDOW = 256;

/**
 * Whether a cut at `at` falls between grapheme clusters, judged from the text around it: Intl.Segmenter takes time
 * that grows faster than the length of what it segments (V8), so a whole description is not segmented for one cut.
 */
function isGraphemeBoundary(text: string, at: number): boolean {
	if (at <= 0 || at >= text.length) return true;
	const from = Math.max(0, at - GRAPHEME_WINDOW);
	return graphemes.segment(text.slice(from, at + GRAPHEME_WINDOW)).containing(at - from)?.index === at - from;
}

/** How far past the limit `truncateMarkdown` reads to find where a link, a code span or a pair of delimiters ends. */
const MARKDOWN_LOOKAHEAD = 8192;

interface MarkdownToken {
	readonly start: number;
	readonly end: number;
	readonly text: string;
	/** An emphasis delimiter, and whether it may open (followed by non-space) or close (after non-space) a span. */
	readonly delimiter?: { readonly canOpen: boolean; readonly canClose: boolean };
	pair?: 'opens' | 'closes';
	partner?: MarkdownToken;
}

const DELIMITERS = ['||', '~~', '**', '__', '*', '_'] as const;
const ANGLE_TOKEN = /<[^\s<>]+>/y;
const BARE_LINK = /https?:\/\/[^\s<]+/y;
const isSpace = (character: string | undefined): boolean => character === undefined || /\s/.test(character);
const isWordCharacter = (character: string | undefined): boolean => character !== undefined && /[\p{L}\p{N}]/u.test(character);

/**
 * The text as the pieces a cut must keep whole: escapes, code spans, masked links, angle-bracket tokens and bare
 * links are one piece each; emphasis delimiters are pieces of their own; every other code point is one piece.
 */
function markdownTokens(text: string): MarkdownToken[] {
	const brackets = matchingBrackets(text);
	const tokens: MarkdownToken[] = [];
	let at = 0;
	const push = (end: number, delimiter?: MarkdownToken['delimiter']) => {
		tokens.push({ start: at, end, text: text.slice(at, end), ...(delimiter === undefined ? {} : { delimiter }) });
		at = end;
	};
	while (at < text.length) {
		const character = text[at]!;
		if (character === '\\' && at + 1 < text.length) {
			push(at + 1 + String.fromCodePoint(text.codePointAt(at + 1)!).length);
			continue;
		}
		if (character === '`') {
			push(codeSpanEnd(text, at));
			continue;
		}
		// A masked link: `[` and its `]`, then at once `(` and its `)`.
		const close = character === '[' ? brackets.get(at) : undefined;
		const end = close !== undefined && text[close + 1] === '(' ? brackets.get(close + 1) : undefined;
		if (end !== undefined) {
			push(end + 1);
			continue;
		}
		const sticky = character === '<' ? ANGLE_TOKEN : character === 'h' ? BARE_LINK : undefined;
		if (sticky !== undefined) {
			sticky.lastIndex = at;
			const match = sticky.exec(text);
			if (match !== null) {
				push(at + match[0].length);
				continue;
			}
		}
		const delimiter = DELIMITERS.find((candidate) => text.startsWith(candidate, at));
		if (delimiter !== undefined) {
			const before = text[at - 1];
			const after = text[at + delimiter.length];
			// `_` inside a word (snake_case) is a letter to Discord, not emphasis.
			const inWord = delimiter.startsWith('_') && isWordCharacter(before) && isWordCharacter(after);
			push(at + delimiter.length, inWord ? undefined : { canOpen: !isSpace(after), canClose: !isSpace(before) });
			continue;
		}
		push(at + String.fromCodePoint(text.codePointAt(at)!).length);
	}
	return tokens;
}

/** Where a code span that opens at `start` (a run of backticks) ends: after the next run of as many; the run alone when none. */
function codeSpanEnd(text: string, start: number): number {
	let run = start;
	while (text[run] === '`') run++;
	const length = run - start;
	for (let at = run; at < text.length;) {
		if (text[at] !== '`') {
			at++;
			continue;
		}
		const from = at;
		while (text[at] === '`') at++;
		if (at - from === length) return at;
	}
	return run;
}

/** Each unescaped `[` and `(` with its matching `]` or `)`, in one pass (nesting counted), by position. */
function matchingBrackets(text: string): Map<number, number> {
	const matches = new Map<number, number>();
	const open: Record<string, number[]> = { '[': [], '(': [] };
	for (let at = 0; at < text.length; at++) {
		const character = text[at]!;
		if (character === '\\') at++;
		else if (character === '[' || character === '(') open[character]!.push(at);
		else if (character === ']' || character === ')') {
			const opener = open[character === ']' ? '[' : '(']!.pop();
			if (opener !== undefined) matches.set(opener, at);
		}
	}
	return matches;
}

/**
 * Marks the delimiters that make emphasis: a closer and the nearest open delimiter of the same kind before it.
 * Openers between them stay unpaired (Discord shows them as they are), and so does anything never closed.
 */
function pairDelimiters(tokens: readonly MarkdownToken[]): void {
	const stack: MarkdownToken[] = [];
	for (const token of tokens) {
		if (token.delimiter === undefined) continue;
		const opener = token.delimiter.canClose ? stack.findLastIndex((candidate) => candidate.text === token.text) : -1;
		if (opener !== -1) {
			const partner = stack[opener]!;
			stack.length = opener;
			partner.pair = 'opens';
			partner.partner = token;
			token.pair = 'closes';
			token.partner = partner;
		} else if (token.delimiter.canOpen) stack.push(token);
	}
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
