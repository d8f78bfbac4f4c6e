import {
	ComponentType,
	type APIActionRowComponent,
	type APIComponentInMessageActionRow,
	type APIEmbed,
	type APIMessage
} from 'discord-api-types/v10';
import { literalMarker, renderMarkdown, type Painter } from './render-markdown.js';

/** Names for mentions, as a Discord client shows them instead of the raw `<@id>`. */
export interface MentionNames {
	user(id: string): string | undefined;
	role(id: string): string | undefined;
	channel(id: string): string | undefined;
}

const TIMESTAMP_FORMATS: Readonly<Record<string, Intl.DateTimeFormatOptions>> = {
	t: { timeStyle: 'short' },
	T: { timeStyle: 'medium' },
	d: { dateStyle: 'short' },
	D: { dateStyle: 'long' },
	f: { dateStyle: 'long', timeStyle: 'short' },
	F: { dateStyle: 'full', timeStyle: 'short' }
};

function relative(seconds: number): string {
	const delta = seconds - Date.now() / 1000;
	const units: [Intl.RelativeTimeFormatUnit, number][] = [
		['day', 86_400],
		['hour', 3600],
		['minute', 60],
		['second', 1]
	];
	const [unit, size] = units.find(([, length]) => Math.abs(delta) >= length) ?? ['second', 1];
	return new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(Math.round(delta / size), unit);
}

/**
 * Mentions and timestamps as a Discord client shows them (`@max`, a local date), taken out of the text before
 * the markdown is parsed so a name such as `under_score` is never read as markdown.
 */
function withLiterals(text: string, names: MentionNames | undefined): { text: string; literals: string[] } {
	const literals: string[] = [];
	const keep = (shown: string) => literalMarker(literals.push(shown) - 1);
	const replaced = text
		.replace(/<t:(-?\d+)(?::([tTdDfFR]))?>/g, (_match, unix: string, style = 'f') =>
			keep(
				style === 'R' ? relative(Number(unix)) : new Intl.DateTimeFormat('en', TIMESTAMP_FORMATS[style]).format(new Date(Number(unix) * 1000))
			)
		)
		.replace(/<@!?(\d+)>/g, (match, id: string) => keep(names?.user(id) ? `@${names.user(id)}` : match))
		.replace(/<@&(\d+)>/g, (match, id: string) => keep(names?.role(id) ? `@${names.role(id)}` : match))
		.replace(/<#(\d+)>/g, (match, id: string) => keep(names?.channel(id) ? `#${names.channel(id)}` : match));
	return { text: replaced, literals };
}

/** Discord's markdown, as a terminal shows it. */
function plain(text: string, paint: Painter, names?: MentionNames): string {
	const prepared = withLiterals(text, names);
	return renderMarkdown(prepared.text, paint, prepared.literals);
}

function indent(text: string, prefix: string): string[] {
	return text.split('\n').map((line) => `${prefix}${line}`);
}

function renderEmbed(embed: APIEmbed, paint: Painter, names?: MentionNames): string[] {
	const bar = paint('blue', '│ ');
	const lines: string[] = [];
	if (embed.title) lines.push(`${bar}${paint('bold', plain(embed.title, paint, names))}`);
	if (embed.description) lines.push(...indent(plain(embed.description, paint, names), bar));
	for (const field of embed.fields ?? []) {
		lines.push(`${bar}${paint('bold', plain(field.name, paint, names))}`);
		lines.push(...indent(plain(field.value, paint, names), `${bar}  `));
	}
	if (embed.thumbnail?.url) lines.push(`${bar}${paint('dim', `thumbnail: ${embed.thumbnail.url}`)}`);
	if (embed.footer?.text) lines.push(`${bar}${paint('dim', embed.footer.text)}`);
	return lines;
}

export interface RenderedButton {
	readonly label: string;
	readonly customId: string | undefined;
	readonly url: string | undefined;
	readonly disabled: boolean;
}

/** The buttons of a message, in order, for `press <label>`. */
export function buttonsOf(message: Pick<APIMessage, 'components'>): RenderedButton[] {
	const rows = (message.components ?? []) as APIActionRowComponent<APIComponentInMessageActionRow>[];
	return rows.flatMap((row) =>
		(row.components ?? [])
			.filter((component) => component.type === ComponentType.Button)
			.map((button) => ({
				label: 'label' in button && button.label ? button.label : 'emoji' in button && button.emoji?.name ? button.emoji.name : '(no label)',
				customId: 'custom_id' in button ? button.custom_id : undefined,
				url: 'url' in button ? button.url : undefined,
				disabled: button.disabled === true
			}))
	);
}

/** A message as the sandbox prints it: content, embeds as boxes, buttons as [labels]. */
export function renderMessage(
	message: Pick<APIMessage, 'content' | 'embeds' | 'components'>,
	heading: string,
	paint: Painter,
	names?: MentionNames
): string {
	const lines = [heading];
	if (message.content) lines.push(...indent(plain(message.content, paint, names), '  '));
	for (const embed of message.embeds ?? []) lines.push(...renderEmbed(embed, paint, names).map((line) => `  ${line}`));
	const buttons = buttonsOf(message);
	if (buttons.length > 0) {
		lines.push(
			`  ${buttons.map((button) => paint(button.disabled ? 'dim' : 'green', `[${button.label}]${button.url ? ` <${button.url}>` : ''}`)).join(' ')}`
		);
	}
	return lines.join('\n');
}
