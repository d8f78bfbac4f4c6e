import { styleText } from 'node:util';
import { ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow, type APIEmbed, type APIMessage } from 'discord-api-types/v10';

/** Discord's markdown, reduced to what a terminal shows well. */
function plain(text: string): string {
	return text
		.replace(/\*\*(.+?)\*\*/g, (_match, inner: string) => styleText('bold', inner))
		.replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, (_match, label: string, url: string) => `${styleText('underline', label)} <${url}>`)
		.replace(/`([^`\n]+)`/g, (_match, inner: string) => styleText('cyan', inner));
}

function indent(text: string, prefix: string): string[] {
	return text.split('\n').map((line) => `${prefix}${line}`);
}

function renderEmbed(embed: APIEmbed): string[] {
	const bar = styleText('blue', '│ ');
	const lines: string[] = [];
	if (embed.title) lines.push(`${bar}${styleText('bold', plain(embed.title))}`);
	if (embed.description) lines.push(...indent(plain(embed.description), bar));
	for (const field of embed.fields ?? []) {
		lines.push(`${bar}${styleText('bold', plain(field.name))}`);
		lines.push(...indent(plain(field.value), `${bar}  `));
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
export function renderMessage(message: Pick<APIMessage, 'content' | 'embeds' | 'components'>, heading: string): string {
	const lines = [heading];
	if (message.content) lines.push(...indent(plain(message.content), '  '));
	for (const embed of message.embeds ?? []) lines.push(...renderEmbed(embed).map((line) => `  ${line}`));
	const buttons = buttonsOf(message);
	if (buttons.length > 0) {
		lines.push(`  ${buttons.map((button) => styleText(button.disabled ? 'dim' : 'green', `[${button.label}]${button.url ? ` <${button.url}>` : ''}`)).join(' ')}`);
	}
	return lines.join('\n');
}
