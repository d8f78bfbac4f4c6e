import type { NotificationType } from './normalise.js';

type Payload = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Payload => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : null);
const cut = (value: string, limit: number) => (value.length > limit ? `${value.slice(0, limit - 1)}…` : value);

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
	return list === null ? [] : list.split(',').map((id) => id.trim()).filter(Boolean);
}

export function payloadObject(payload: unknown): Payload {
	return isRecord(payload) && isRecord(payload.object) ? payload.object : {};
}

/**
 * The message for one event in one channel, as the REST body: an embed, a Watch button when there is an
 * entry, and the role mention in the content (mentions in embeds ping no one) with allowed_mentions
 * limited to that role.
 */
export function renderMessage(type: NotificationType, payload: unknown, partnerId: number, roleId: string | null): Record<string, unknown> {
	const object = payloadObject(payload);
	const name = text(object.name) ?? text(object.summary) ?? text(object.screenName) ?? text(object.id) ?? '';
	const description = text(object.description);
	const embed: Record<string, unknown> = {
		title: cut(name === '' ? TITLES[type] : `${TITLES[type]}: ${name}`, 256),
		color: 0x00_6e_ff,
		timestamp: new Date().toISOString()
	};
	if (description !== null) embed.description = cut(description, 4000);
	const thumbnail = text(object.thumbnailUrl);
	if (thumbnail !== null && /^https?:\/\//.test(thumbnail)) embed.thumbnail = { url: thumbnail };
	const body: Record<string, unknown> = { embeds: [embed], allowed_mentions: roleId === null ? { parse: [] } : { parse: [], roles: [roleId] } };
	if (roleId !== null) body.content = `<@&${roleId}>`;
	const entryId = entryIdOf(type, object);
	if (entryId !== null) {
		const url = WATCH_URL_TEMPLATE.replace('{partnerId}', encodeURIComponent(String(partnerId))).replace('{entryId}', encodeURIComponent(entryId));
		body.components = [{ type: 1, components: [{ type: 2, style: 5, label: 'Watch', url }] }];
	}
	return body;
}
