import { z } from 'zod';
import { escapeAndTruncate, safeUrl } from '#sdk';
import { NOTIFICATION_TYPES, type NotificationType } from './normalise.js';

/** The placeholders a template may use; every other `{name}` is refused. */
export const PLACEHOLDERS = [
	'title',
	'description',
	'url',
	'thumbnail',
	'duration',
	'owner',
	'category',
	'mention',
	'type',
	'entryId',
	'partnerId'
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number];

export function isPlaceholder(name: string): name is Placeholder {
	return PLACEHOLDERS.some((placeholder) => placeholder === name);
}

export interface EventTemplate {
	readonly title: string;
	readonly description: string;
}

/** The types a guild can template (`unknown` events are never posted). */
export const TEMPLATE_TYPES = NOTIFICATION_TYPES.filter((type) => type !== 'unknown');

/** The built-in templates: the defaults of the config schema below, and so of every guild (no config file repeats them). */
export const DEFAULT_TEMPLATES: Readonly<Record<NotificationType, EventTemplate>> = {
	'entry.ready': { title: 'New video ready: {title}', description: '{description}' },
	'entry.added': { title: 'New video added: {title}', description: '{description}' },
	'entry.added_to_category': { title: 'Video added to a category: {title}', description: '{description}' },
	'live_stream.started': { title: 'Live stream started: {title}', description: '{description}' },
	'live_stream.ended': { title: 'Live stream ended: {title}', description: '{description}' },
	'recording.ready': { title: 'Recording ready: {title}', description: '{description}' },
	'meeting.scheduled': { title: 'Meeting scheduled: {title}', description: '{description}' },
	'meeting.cancelled': { title: 'Meeting cancelled: {title}', description: '{description}' },
	'user.created': { title: 'New Kaltura user: {title}', description: '{description}' },
	unknown: { title: 'Kaltura event: {title}', description: '{description}' }
};

const PLACEHOLDER_PATTERN = /\{([^{}\s]*)\}/g;

/** The `{names}` in a template text that are not placeholders, each once. */
export function unknownPlaceholders(template: string): string[] {
	const names = [...template.matchAll(PLACEHOLDER_PATTERN)].map((match) => match[1] ?? '');
	return [...new Set(names.filter((name) => !isPlaceholder(name)))];
}

export const KNOWN_PLACEHOLDERS_TEXT = PLACEHOLDERS.map((name) => `{${name}}`).join(', ');

const templateText = (max: number) =>
	z
		.string()
		.max(max)
		.superRefine((value, context) => {
			const unknown = unknownPlaceholders(value);
			if (unknown.length > 0) {
				context.addIssue({
					code: 'custom',
					message: `unknown placeholder(s) ${unknown.map((name) => `{${name}}`).join(', ')}; known: ${KNOWN_PLACEHOLDERS_TEXT}`
				});
			}
		});

const eventTemplateSchema = (type: NotificationType) =>
	z
		.strictObject({
			title: templateText(256).default(DEFAULT_TEMPLATES[type].title),
			description: templateText(4000).default(DEFAULT_TEMPLATES[type].description)
		})
		.prefault({});

/** `entry.ready` → `['entry', 'ready']`: config paths are dotted, so a type's template sits at `templates.entry.ready`. */
export const templateKeys = (type: NotificationType): [string, string] => {
	const [group = type, name = ''] = type.split('.');
	return [group, name];
};

const GROUPS = [...new Set(TEMPLATE_TYPES.map((type) => templateKeys(type)[0]))];

/** The plugin's guild config section: `templates.<group>.<name>.{title,description}`, one per event type. */
export const notificationsConfigSchema = z.strictObject({
	templates: z
		.strictObject(
			Object.fromEntries(
				GROUPS.map((group) => [
					group,
					z
						.strictObject(
							Object.fromEntries(
								TEMPLATE_TYPES.filter((type) => templateKeys(type)[0] === group).map((type) => [
									templateKeys(type)[1],
									eventTemplateSchema(type)
								])
							)
						)
						.prefault({})
				])
			)
		)
		.prefault({})
});

export type NotificationsSettings = z.output<typeof notificationsConfigSchema>;

/** The template of a type in the plugin's settings of a guild (the built-in one for types no guild can template). */
export function templateOf(settings: NotificationsSettings, type: NotificationType): EventTemplate {
	if (type === 'unknown') return DEFAULT_TEMPLATES[type];
	const [group, name] = templateKeys(type);
	return settings.templates[group]?.[name] ?? DEFAULT_TEMPLATES[type];
}

/**
 * Placeholders whose values are links: they go through `safeUrl` (http(s) only, `)` and spaces encoded), so an
 * admin's `[Watch]({url})` cannot be turned into another link by the value.
 */
const URL_PLACEHOLDERS: ReadonlySet<Placeholder> = new Set(['url', 'thumbnail']);
/** Markdown the bot writes itself (`<@&role>`), kept as it is. */
const MARKDOWN_PLACEHOLDERS: ReadonlySet<Placeholder> = new Set(['mention']);

/**
 * The values as they may sit in the admin's markdown: a template's literal text is the admin's own markdown,
 * but a value comes from Kaltura (a title, a description, an owner, a category name), so every text value is
 * escaped (and cut to `limit` before escaping, so no escape is split) and every link checked.
 */
export function markdownValues(values: Readonly<Record<Placeholder, string>>, limit: number): Record<Placeholder, string> {
	const markdown = { ...values };
	for (const name of PLACEHOLDERS) {
		const value = values[name];
		if (URL_PLACEHOLDERS.has(name)) markdown[name] = value === '' ? '' : (safeUrl(value) ?? '');
		else if (!MARKDOWN_PLACEHOLDERS.has(name)) markdown[name] = escapeAndTruncate(value, limit);
	}
	return markdown;
}

/**
 * Fills a template's placeholders so that the result fits in `limit` with the template's own text whole: links,
 * mentions and the admin's markdown are put in first, and the text values (escaped, see `markdownValues`) share
 * what room is left: a value shorter than its fair share is put in whole, and the longer ones split the rest
 * evenly, each cut between whole characters. So a long description neither pushes out the admin's
 * `[Watch]({url})` after it nor leaves a `**{title}**` next to it empty, and no cut falls inside the admin's
 * markdown. (When the template's own text and links alone are longer, the caller's `truncateMarkdown` still cuts
 * only between whole pieces of markdown.)
 */
export function fillTemplateWithin(template: string, values: Readonly<Record<Placeholder, string>>, limit: number): string {
	const fixed = markdownValues(values, 0);
	const isText = (name: string): name is Placeholder => isPlaceholder(name) && !URL_PLACEHOLDERS.has(name) && !MARKDOWN_PLACEHOLDERS.has(name);
	const texts = [...template.matchAll(PLACEHOLDER_PATTERN)].map((match) => match[1] ?? '').filter(isText);
	const shares = fairShares(
		texts.map((name) => escapeAndTruncate(values[name], limit).length),
		limit - fillTemplate(template, fixed).length
	);
	let index = 0;
	return template.replace(PLACEHOLDER_PATTERN, (whole, name: string) => {
		if (!isPlaceholder(name)) return whole;
		return isText(name) ? escapeAndTruncate(values[name], shares[index++] ?? 0) : fixed[name];
	});
}

/** Splits `room` among values of these lengths: the short ones whole, the rest evenly (each share a whole number). */
function fairShares(lengths: readonly number[], room: number): number[] {
	const shares = lengths.map(() => 0);
	let left = Math.max(0, room);
	const order = lengths.map((length, index) => ({ length, index })).sort((a, b) => a.length - b.length);
	order.forEach(({ length, index }, position) => {
		const share = Math.min(length, Math.floor(left / (order.length - position)));
		shares[index] = share;
		left -= share;
	});
	return shares;
}

/** Fills `{name}` placeholders; a value that is missing becomes an empty string. Values are put in as given: see `markdownValues`. */
export function fillTemplate(template: string, values: Partial<Record<Placeholder, string | null | undefined>>): string {
	return template.replace(PLACEHOLDER_PATTERN, (whole, name: string) => (isPlaceholder(name) ? (values[name] ?? '') : whole));
}
