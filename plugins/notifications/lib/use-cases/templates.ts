import { container } from '@sapphire/framework';
import { DiscordAPIError, Routes } from 'discord.js';
import { ConfigValidationError, truncate, UserFacingError, type AuditSource } from '#sdk';
import type { NotificationType } from '../normalise.js';
import { renderMessage } from '../render.js';
import { sampleObject } from '../samples.js';
import notifications from '../../plugin.js';
import { KNOWN_PLACEHOLDERS_TEXT, TEMPLATE_TYPES, templateKeys, templateOf, unknownPlaceholders, type EventTemplate } from '../templates.js';

type TemplateType = (typeof TEMPLATE_TYPES)[number];

/** Discord sends one of the declared choices; anything else is refused with `refusal` in front of why. */
export function templateTypeOf(value: string, refusal = ''): TemplateType {
	const type = TEMPLATE_TYPES.find((known) => known === value);
	if (type === undefined) throw new UserFacingError('invalid_event_type', `${refusal}\`${truncate(value, 40)}\` is not an event type.`);
	return type;
}

const templatePath = (type: NotificationType) => `${notifications.name}.templates.${templateKeys(type).join('.')}`;

/** Posts of `type` look like the default again; the template now in use. */
export async function resetTemplate(guildId: string, type: TemplateType, actor: { actorId: string; source: AuditSource }): Promise<EventTemplate> {
	const config = await container.guildConfig.reset(guildId, templatePath(type));
	await container.audit.record({ guildId, ...actor, action: 'notifications.template-reset', target: type });
	return templateOf(notifications.settingsIn(config), type);
}

/** Posts of `type` get this title (and description, else the default); refused when a placeholder is unknown or the config refuses it. */
export async function setTemplate(
	guildId: string,
	type: TemplateType,
	template: { title: string; description: string | null },
	actor: { actorId: string; source: AuditSource }
): Promise<EventTemplate> {
	const { title, description } = template;
	const unknown = unknownPlaceholders(`${title}\n${description ?? ''}`);
	if (unknown.length > 0) {
		const names = unknown.map((name) => `\`{${truncate(name, 40)}}\``).join(', ');
		throw new UserFacingError(
			'unknown_placeholder',
			`Nothing was changed: ${names} ${unknown.length === 1 ? 'is' : 'are'} not a placeholder. Known placeholders: ${KNOWN_PLACEHOLDERS_TEXT}.`
		);
	}
	const value = description === null ? { title } : { title, description };
	let config;
	try {
		config = await container.guildConfig.set(guildId, templatePath(type), value);
	} catch (error) {
		// The config's own checks (length limits, the operator's bounds) say why in words meant for admins.
		if (error instanceof ConfigValidationError)
			throw new UserFacingError('invalid_template', `Nothing was changed: ${truncate(error.message, 1800)}`, { status: 422 });
		throw error;
	}
	await container.audit.record({ guildId, ...actor, action: 'notifications.template-set', target: type, changes: value });
	return templateOf(notifications.settingsIn(config), type);
}

/** Posts a sample `type` event in the channel with the guild's template; refused with Discord's reason in plain words. */
export async function postSample(guildId: string, channelId: string, type: TemplateType): Promise<void> {
	const config = await container.guildConfig.resolve(guildId);
	const body = renderMessage(
		type,
		{ object: sampleObject(type) },
		container.env.KALTURA_PARTNER_ID,
		null,
		templateOf(notifications.settingsIn(config), type)
	);
	try {
		await container.client.rest.post(Routes.channelMessages(channelId), { body });
	} catch (error) {
		// Discord's refusal is the admin's to fix (the bot's permissions there): told, not logged as a bug.
		if (error instanceof DiscordAPIError)
			throw new UserFacingError('sample_not_posted', `The sample was not posted in <#${channelId}>: ${explainRefusal(error)}`, { status: 502 });
		throw error;
	}
}

/** A Discord refusal in plain words. */
export function explainRefusal(error: DiscordAPIError): string {
	if (error.status === 403)
		return `the bot may not post there (${error.message}). Give it View Channel, Send Messages, Embed Links and Read Message History in that channel.`;
	if (error.status === 404) return `the channel was not found (${error.message}).`;
	return `Discord refused it (${error.status} ${error.message}).`;
}
