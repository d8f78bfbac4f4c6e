/**
 * Cutting markdown to a length without leaving anything half made: the tokens a cut must keep whole, the emphasis
 * pairs it must close, and grapheme clusters. markdown.ts re-exports {@link truncateMarkdown} with the other helpers.
 */

/** The ellipsis every cut ends with (one code unit). */
export const ELLIPSIS = '…';
export const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

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
			else open.splice(open.lastIndexOf(openerOf(token)), 1);
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
		const character = text.charAt(at);
		if (character === '\\' && at + 1 < text.length) {
			push(at + 1 + codePointLength(text, at + 1));
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
		push(at + codePointLength(text, at));
	}
	return tokens;
}

/** How many UTF-16 code units the code point at `at` takes: 2 for a surrogate pair, else 1. */
function codePointLength(text: string, at: number): number {
	const point = text.codePointAt(at);
	return point !== undefined && point > 0xffff ? 2 : 1;
}

/** The opener a closing delimiter was paired with (pairDelimiters sets both sides at once). */
function openerOf(closer: MarkdownToken): MarkdownToken {
	if (closer.partner === undefined) throw new Error('A closing delimiter was found without the opener it was paired with.');
	return closer.partner;
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
	const open: Record<'[' | '(', number[]> = { '[': [], '(': [] };
	for (let at = 0; at < text.length; at++) {
		const character = text.charAt(at);
		if (character === '\\') at++;
		else if (character === '[' || character === '(') open[character].push(at);
		else if (character === ']' || character === ')') {
			const opener = open[character === ']' ? '[' : '('].pop();
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
		const partner = opener === -1 ? undefined : stack[opener];
		if (partner !== undefined) {
			stack.length = opener;
			partner.pair = 'opens';
			partner.partner = token;
			token.pair = 'closes';
			token.partner = partner;
		} else if (token.delimiter.canOpen) stack.push(token);
	}
}
