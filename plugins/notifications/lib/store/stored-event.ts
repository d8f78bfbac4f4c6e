import { storedNotificationType, type NotificationEvent } from './notification-store.js';

/** An event's fields as both stores keep them: the SQLite table's columns and the MongoDB documents' fields alike. */
export interface StoredEventFields {
	type: string;
	event_type: number | null;
	event_object_type: string | null;
	object_id: string | null;
	partner_id: number | null;
	received_at: number;
	payload: string | null;
}

/** The contract's event from its key and stored fields (a type this version no longer knows reads as `unknown`). */
export function eventFromStored(key: string, stored: StoredEventFields): NotificationEvent {
	return {
		key,
		type: storedNotificationType(stored.type),
		eventType: stored.event_type,
		eventObjectType: stored.event_object_type,
		objectId: stored.object_id,
		partnerId: stored.partner_id,
		receivedAt: stored.received_at,
		payload: stored.payload
	};
}

/** The fields an event is stored with (its key is stored apart: a column of its own, or the document's `_id`). */
export function storedFieldsOf(event: NotificationEvent): StoredEventFields {
	return {
		type: event.type,
		event_type: event.eventType,
		event_object_type: event.eventObjectType,
		object_id: event.objectId,
		partner_id: event.partnerId,
		received_at: event.receivedAt,
		payload: event.payload
	};
}
