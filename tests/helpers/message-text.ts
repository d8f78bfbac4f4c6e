import type { APIMessage } from 'discord-api-types/v10';

/** What a member can read in a message: text, embeds and component labels (not the API's null fields). */
export function visibleText(message: APIMessage | undefined): string {
	if (message === undefined) return '';
	const parts: unknown[] = [message.content];
	for (const embed of message.embeds ?? [])
		parts.push(embed.title, embed.description, embed.footer?.text, ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]));
	for (const row of message.components ?? [])
		for (const component of 'components' in row ? row.components : [])
			parts.push('label' in component ? component.label : '', 'custom_id' in component ? component.custom_id : '');
	return parts
		.filter((part) => part !== undefined)
		.map(String)
		.join('\n');
}

/** The buttons of a message's action rows. */
export const buttonsOf = (message: APIMessage) =>
	(message.components ?? []).flatMap((row) => ('components' in row ? (row.components as unknown[]) : [])) as {
		custom_id?: string;
		label?: string;
	}[];
