import { styleText } from 'node:util';
import { Lexer, type Token, type Tokens } from 'marked';

/** The terminal styles the sandbox uses. */
export type Style = 'bold' | 'italic' | 'underline' | 'strikethrough' | 'dim' | 'cyan' | 'blue' | 'green' | 'magenta' | 'yellow' | 'red';

/** Styles text, or leaves it plain: no escape codes reach a pipe or a file. */
export type Painter = (style: Style, text: string) => string;

/** A painter for the sandbox's own output: colours on a terminal only (and not when NO_COLOR is set). */
export function painterFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Painter {
	const colour = stream.isTTY === true && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
	return colour ? (style, text) => styleText(style, text, { validateStream: false }) : (_style, text) => text;
}

/** Placeholder markers for pieces resolved before parsing (mentions, timestamps), in Unicode's private use area. */
const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * Discord's message markdown for a terminal. The text is parsed first (marked's lexer, CommonMark plus GFM's
 * strikethrough and autolinks, which is what Discord's client follows) and styled afterwards, token by token,
 * so bold around a link or code beside a link never garbles: styling is applied to the parsed tree, never to
 * text that is still to be parsed. Discord's deviations from CommonMark are followed where a reply uses them:
 * `__text__` is underline (not bold), single newlines are line breaks, and there are no HTML or tables.
 * `literals` are pieces already turned into display text (a mention's name), kept out of the parser.
 */
export function renderMarkdown(text: string, paint: Painter, literals: readonly string[] = []): string {
	const tokens = new Lexer({ gfm: true, breaks: true }).lex(text);
	const rendered = renderBlocks(tokens, paint);
	return rendered.replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g'), (_match, index: string) => paint('cyan', literals[Number(index)] ?? ''));
}

/** A marker standing for `literals[index]` in text handed to `renderMarkdown`. */
export function literalMarker(index: number): string {
	return `${OPEN}${index}${CLOSE}`;
}

function renderBlocks(tokens: readonly Token[], paint: Painter): string {
	const lines: string[] = [];
	for (const token of tokens) {
		const block = renderBlock(token, paint);
		if (block !== undefined) lines.push(block);
	}
	return lines.join('\n');
}

function renderBlock(token: Token, paint: Painter): string | undefined {
	switch (token.type) {
		case 'space':
			// A blank line between paragraphs stays one blank line (Discord keeps them).
			return token.raw.split('\n').length > 2 ? '' : undefined;
		case 'paragraph':
		case 'text':
			return 'tokens' in token && token.tokens ? renderInline(token.tokens, paint) : (token as Tokens.Text).text;
		case 'heading':
			return paint('bold', renderInline((token as Tokens.Heading).tokens, paint));
		case 'code':
			return (token as Tokens.Code).text
				.split('\n')
				.map((line) => `  ${paint('cyan', line)}`)
				.join('\n');
		case 'blockquote':
			return renderBlocks((token as Tokens.Blockquote).tokens, paint)
				.split('\n')
				.map((line) => `${paint('dim', '▌')} ${line}`)
				.join('\n');
		case 'list': {
			const list = token as Tokens.List;
			const first = typeof list.start === 'number' ? list.start : 1;
			return list.items
				.map((item, index) => {
					const bullet = list.ordered ? `${first + index}.` : '•';
					const [head = '', ...rest] = renderBlocks(item.tokens, paint).split('\n');
					return [`${bullet} ${head}`, ...rest.map((line) => `  ${line}`)].join('\n');
				})
				.join('\n');
		}
		default:
			// Discord has no HTML, tables or rules: they show as typed.
			return token.raw.replace(/\n$/, '');
	}
}

function renderInline(tokens: readonly Token[], paint: Painter): string {
	return tokens.map((token) => renderInlineToken(token, paint)).join('');
}

function renderInlineToken(token: Token, paint: Painter): string {
	switch (token.type) {
		case 'strong': {
			const inner = renderInline((token as Tokens.Strong).tokens, paint);
			// Discord reads `__text__` as underline; only `**text**` is bold.
			return paint(token.raw.startsWith('__') ? 'underline' : 'bold', inner);
		}
		case 'em':
			return paint('italic', renderInline((token as Tokens.Em).tokens, paint));
		case 'del':
			return paint('strikethrough', renderInline((token as Tokens.Del).tokens, paint));
		case 'codespan':
			return paint('cyan', (token as Tokens.Codespan).text);
		case 'link': {
			const link = token as Tokens.Link;
			const label = renderInline(link.tokens, paint);
			// A bare or <angle-bracketed> URL shows once; a masked link shows its label and, as Discord's hover does, where it goes.
			return link.text === link.href ? paint('underline', link.href) : `${paint('underline', label)} <${link.href}>`;
		}
		case 'br':
			return '\n';
		case 'text':
			return 'tokens' in token && token.tokens ? renderInline(token.tokens, paint) : (token as Tokens.Text).text;
		case 'escape':
			return (token as Tokens.Escape).text;
		default:
			return token.raw;
	}
}
