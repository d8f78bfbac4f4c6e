import { DISCORD_LIMITS, safeUrl, truncateMarkdown } from '#sdk';
import type { NotificationType } from './normalise.js';
import { DEFAULT_TEMPLATES, fillTemplateWithin, type EventTemplate, type Placeholder } from './templates.js';

type Payload = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Payload => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null =>
	typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : null;

const TITLES: Record<NotificationType, string> = {
	'entry.ready': 'New video ready',
	'entry.added': 'New video added',
	'entry.added_to_category': 'Video added to a category',
	'live_stream.started': 'Live stream started',
	'live_stream.ended': 'Live stream ended',
	'recording.ready': 'Recording ready',
	'meeting.scheduled': 'Meeting scheduled',
	'meeting.cancelled': 'Meeting cancelled',
	'user.created': 'New Kaltura user',
	unknown: 'Kaltura event'
};

/** The same default as the videos plugin's watch link. */
export const WATCH_URL_TEMPLATE = 'https://{partnerId}.mediaspace.kaltura.com/media/t/{entryId}';

/** The entry an event is about, when it is about one. */
export function entryIdOf(type: NotificationType, object: Payload): string | null {
	if (type === 'entry.added_to_category') return text(object.entryId);
	if (type.startsWith('entry.') || type.startsWith('live_stream.') || type === 'recording.ready') return text(object.id);
	return null;
}

/** The categories an event's object is in: a category entry's category, or an entry's `categoriesIds`. */
export function categoriesOf(object: Payload): string[] {
	const categoryId = text(object.categoryId);
	if (categoryId !== null) return [categoryId];
	const list = text(object.categoriesIds);
	return list === null
		? []
		: list
				.split(',')
				.map((id) => id.trim())
				.filter(Boolean);
}

export function payloadObject(payload: unknown): Payload {
	return isRecord(payload) && isRecord(payload.object) ? payload.object : {};
}

function duration(value: unknown): string {
	const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;
	if (seconds === null || !Number.isFinite(seconds) || seconds <= 0) return '';
	const whole = Math.round(seconds);
	const hours = Math.floor(whole / 3600);
	const minutes = Math.floor((whole % 3600) / 60);
	const rest = String(whole % 60).padStart(2, '0');
	return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** The placeholder values of an event: every one a string, empty when the event does not say. */
export function placeholderValues(type: NotificationType, payload: unknown, partnerId: number, roleId: string | null): Record<Placeholder, string> {
	const object = payloadObject(payload);
	const entryId = entryIdOf(type, object);
	const thumbnail = text(object.thumbnailUrl);
	return {
		title: text(object.name) ?? text(object.summary) ?? text(object.screenName) ?? text(object.id) ?? '',
		description: text(object.description) ?? '',
		url:
			entryId === null
				? ''
				: WATCH_URL_TEMPLATE.replace('{partnerId}', encodeURIComponent(String(partnerId))).replace('{entryId}', encodeURIComponent(entryId)),
		thumbnail: thumbnail === null ? '' : (safeUrl(thumbnail) ?? ''),
		duration: duration(object.duration ?? (object.msDuration === undefined ? undefined : Number(object.msDuration) / 1000)),
		owner: text(object.userId) ?? text(object.ownerId) ?? text(object.creatorId) ?? '',
		category: text(object.categories) ?? categoriesOf(object).join(', '),
		mention: roleId === null ? '' : `<@&${roleId}>`,
		type,
		entryId: entryId ?? '',
		partnerId: String(partnerId)
	};
}

/** A Kaltura `time` field (Unix seconds, as a number or digits), when it is a usable one. */
function unixSeconds(value: unknown): number | null {
	const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;
	return seconds !== null && Number.isSafeInteger(seconds) && seconds > 0 ? seconds : null;
}

/**
 * When a meeting starts and ends, as embed fields of Discord timestamps (`<t:unix:F>` the full date and time,
 * `<t:unix:R>` how long from now), which each reader's client shows in their own time zone and language
 * (discord-api-docs reference.mdx, "Message Formatting" and "Timestamp Styles"). From the schedule event's
 * `startDate` and `endDate`, Unix seconds (kaltura/server plugins/schedule/base/lib/api/KalturaScheduleEvent.php);
 * none when the event does not carry a start.
 */
export function meetingTimeFields(type: NotificationType, object: Payload): { name: string; value: string; inline: boolean }[] {
	if (type !== 'meeting.scheduled' && type !== 'meeting.cancelled') return [];
	const start = unixSeconds(object.startDate);
	if (start === null) return [];
	const end = unixSeconds(object.endDate);
	const fields = [{ name: 'Starts', value: `<t:${start}:F> (<t:${start}:R>)`, inline: true }];
	if (end !== null && end > start) fields.push({ name: 'Ends', value: `<t:${end}:F>`, inline: true });
	return fields;
}

/**
 * The message for one event in one channel, as the REST body: an embed (from the guild's template, or the
 * built-in one; a meeting's start and end as fields), a Watch button when there is an entry, and the role mention in the content (mentions in
 * embeds ping no one) with allowed_mentions limited to that role.
 */
export function renderMessage(
	type: NotificationType,
	payload: unknown,
	partnerId: number,
	roleId: string | null,
	template: EventTemplate = DEFAULT_TEMPLATES[type]
): Record<string, unknown> {
	const values = placeholderValues(type, payload, partnerId, roleId);
	// Kaltura's text is escaped and its links checked before it meets the template's markdown.
	const title = fillTemplateWithin(template.title, values, DISCORD_LIMITS.embedTitle)
		// A title ending in a separator because its value was empty ("New video ready: ") loses the separator.
		.replace(/[\s:]+$/, '')
		.trim();
	const description = fillTemplateWithin(template.description, values, DISCORD_LIMITS.embedDescription).trim();
	const embed: Record<string, unknown> = {
		// An embed needs a title or a description; a template that comes out empty falls back to the type's name.
		title: truncateMarkdown(title === '' && description === '' ? TITLES[type] : title, DISCORD_LIMITS.embedTitle),
		color: 0x00_6e_ff,
		timestamp: new Date().toISOString()
	};
	if (embed.title === '') delete embed.title;
	if (description !== '') embed.description = truncateMarkdown(description, DISCORD_LIMITS.embedDescription);
	if (values.thumbnail !== '') embed.thumbnail = { url: values.thumbnail };
	const times = meetingTimeFields(type, payloadObject(payload));
	if (times.length > 0) embed.fields = times;
	const body: Record<string, unknown> = { embeds: [embed], allowed_mentions: roleId === null ? { parse: [] } : { parse: [], roles: [roleId] } };
	if (roleId !== null) body.content = `<@&${roleId}>`;
	const watchUrl = values.url === '' ? undefined : safeUrl(values.url);
	if (watchUrl !== undefined) body.components = [{ type: 1, components: [{ type: 2, style: 5, label: 'Watch', url: watchUrl }] }];
	return body;
}
