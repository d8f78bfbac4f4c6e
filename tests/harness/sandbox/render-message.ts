import { styleText } from 'node:util';
import { ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow, type APIEmbed, type APIMessage } from 'discord-api-types/v10';

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
	const units: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400], ['hour', 3600], ['minute', 60], ['second', 1]];
	const [unit, size] = units.find(([, length]) => Math.abs(delta) >= length) ?? ['second', 1];
	return new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(Math.round(delta / size), unit);
}

/** Mentions and timestamps as a Discord client renders them. */
function resolveMentions(text: string, names: MentionNames | undefined): string {
	return text
		.replace(/<t:(-?\d+)(?::([tTdDfFR]))?>/g, (_match, unix: string, style = 'f') =>
			styleText('cyan', style === 'R' ? relative(Number(unix)) : new Intl.DateTimeFormat('en', TIMESTAMP_FORMATS[style]).format(new Date(Number(unix) * 1000)))
		)
		.replace(/<@!?(\d+)>/g, (match, id: string) => styleText('cyan', names?.user(id) ? `@${names.user(id)}` : match))
		.replace(/<@&(\d+)>/g, (match, id: string) => styleText('cyan', names?.role(id) ? `@${names.role(id)}` : match))
		.replace(/<#(\d+)>/g, (match, id: string) => styleText('cyan', names?.channel(id) ? `#${names.channel(id)}` : match));
}

/** Discord's markdown, reduced to what a terminal shows well. */
function plain(text: string, names?: MentionNames): string {
	return resolveMentions(text, names)
		.replace(/\*\*(.+?)\*\*/g, (_match, inner: string) => styleText('bold', inner))
		.replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, (_match, label: string, url: string) => `${styleText('underline', label)} <${url}>`)
		.replace(/`([^`\n]+)`/g, (_match, inner: string) => styleText('cyan', inner));
}

function indent(text: string, prefix: string): string[] {
	return text.split('\n').map((line) => `${prefix}${line}`);
}

function renderEmbed(embed: APIEmbed, names?: MentionNames): string[] {
	const bar = styleText('blue', '│ ');
	const lines: string[] = [];
	if (embed.title) lines.push(`${bar}${styleText('bold', plain(embed.title, names))}`);
	if (embed.description) lines.push(...indent(plain(embed.description, names), bar));
	for (const field of embed.fields ?? []) {
		lines.push(`${bar}${styleText('bold', plain(field.name, names))}`);
		lines.push(...indent(plain(field.value, names), `${bar}  `));
	}
	if (embed.thumbnail?.url) lines.push(`${bar}${styleText('dim', `thumbnail: ${embed.thumbnail.url}`)}`);
	if (embed.footer?.text) lines.push(`${bar}${styleText('dim', embed.footer.text)}`);
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
export function renderMessage(message: Pick<APIMessage, 'content' | 'embeds' | 'components'>, heading: string, names?: MentionNames): string {
	const lines = [heading];
	if (message.content) lines.push(...indent(plain(message.content, names), '  '));
	for (const embed of message.embeds ?? []) lines.push(...renderEmbed(embed, names).map((line) => `  ${line}`));
	const buttons = buttonsOf(message);
	if (buttons.length > 0) {
		lines.push(`  ${buttons.map((button) => styleText(button.disabled ? 'dim' : 'green', `[${button.label}]${button.url ? ` <${button.url}>` : ''}`)).join(' ')}`);
	}
	return lines.join('\n');
}
