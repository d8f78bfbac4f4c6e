import { randomBytes } from 'node:crypto';
import { apiError } from '../errors.js';
import type { Obj } from '../params.js';
import { clone } from '../serialize.js';
import { KalturaEntryState } from './entries.js';
import { coerceNumeric, EVENT_OBJECT_TYPE, EVENT_TYPE, stripUndefined, type TemplateCondition } from './shapes.js';

/**
 * In-memory Kaltura partner state plus seed helpers for tests. This last layer adds schedule resources and events,
 * app tokens, notification templates and snapshots.
 */
export class KalturaState extends KalturaEntryState {
	// ---------------------------------------------------------------- schedule
	getScheduleResource(id: number): Obj | undefined {
		const r = this.scheduleResources.get(id);
		return r && r.status !== 3 ? r : undefined;
	}
	getScheduleEvent(id: number): Obj | undefined {
		const e = this.scheduleEvents.get(id);
		return e && e.status !== 3 ? e : undefined;
	}
	/** Seed a schedule resource (default KalturaLocationScheduleResource, ACTIVE). */
	addScheduleResource(input: Obj & { name: string }, partnerId = this.mainPartnerId): Obj {
		const id = (input.id as number | undefined) ?? this.nextId('resource');
		const now = this.now();
		const r: Obj = {
			partnerId,
			status: 2,
			createdAt: now,
			updatedAt: now,
			...stripUndefined(input),
			id,
			objectType: (input.objectType as string | undefined) ?? 'KalturaLocationScheduleResource'
		};
		this.scheduleResources.set(id, r);
		return r;
	}
	/** Seed a schedule event (default KalturaRecordScheduleEvent, ACTIVE, recurrenceType NONE). */
	addScheduleEvent(input: Obj & { summary: string; startDate: number; endDate: number }, partnerId = this.mainPartnerId): Obj {
		const id = (input.id as number | undefined) ?? this.nextId('event');
		const now = this.now();
		const e: Obj = {
			partnerId,
			status: 2,
			recurrenceType: 0,
			sequence: 1,
			createdAt: now,
			updatedAt: now,
			...stripUndefined(input),
			id,
			objectType: (input.objectType as string | undefined) ?? 'KalturaRecordScheduleEvent'
		};
		e.duration = (e.endDate as number) - (e.startDate as number);
		this.scheduleEvents.set(id, e);
		this.emit({
			eventType: EVENT_TYPE.OBJECT_CREATED,
			eventObjectType: EVENT_OBJECT_TYPE.SCHEDULE_EVENT,
			object: e,
			modifiedColumns: [],
			partnerId
		});
		return e;
	}
	/**
	 * Link an event to a resource, checked as KalturaScheduleEventResource::validateForInsert does (kaltura/server
	 * plugins/schedule/base/lib/api/KalturaScheduleEventResource.php): the duplicate first, then the event, then the
	 * resource (0 allowed). `asked` is the ids to name in errors when the caller masked another partner's as -1.
	 */
	linkEventResource(eventId: number, resourceId: number, partnerId = this.mainPartnerId, asked = { eventId, resourceId }): Obj {
		if (this.eventResources.some((l) => l.eventId === asked.eventId && l.resourceId === asked.resourceId && l.partnerId === partnerId)) {
			throw apiError('SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS', asked.eventId, asked.resourceId);
		}
		if (!this.getScheduleEvent(eventId)) throw apiError('SCHEDULE_EVENT_ID_NOT_FOUND', asked.eventId);
		if (resourceId !== 0 && !this.getScheduleResource(resourceId)) throw apiError('SCHEDULE_RESOURCE_ID_NOT_FOUND', asked.resourceId);
		const now = this.now();
		const link: Obj = { eventId, resourceId, partnerId, createdAt: now, updatedAt: now, objectType: 'KalturaScheduleEventResource' };
		this.eventResources.push(link);
		return link;
	}

	/** Refuse every KS of this partner carrying `sessionid:<sessionId>` until `until` (unix seconds). */
	endSessionId(partnerId: number, sessionId: string, until: number): void {
		this.endedSessionIds.set(`${partnerId}_${sessionId}`, until);
	}
	/** Whether a KS of this partner with `sessionid:<sessionId>` is refused now (LOGOUT). */
	isSessionIdEnded(partnerId: number, sessionId: string): boolean {
		const until = this.endedSessionIds.get(`${partnerId}_${sessionId}`);
		return until !== undefined && until > this.now();
	}

	// ---------------------------------------------------------------- app tokens
	/** Seed an app token (status ACTIVE, hashType SHA1 unless given). Returns it incl. `token`. */
	addAppToken(input: Obj = {}, partnerId = this.mainPartnerId): Obj {
		const id = (input.id as string | undefined) ?? this.randomEntryId();
		const now = this.now();
		const t: Obj = {
			token: randomBytes(16).toString('hex'),
			partnerId,
			createdAt: now,
			updatedAt: now,
			status: 2,
			hashType: 'SHA1',
			sessionType: undefined,
			sessionDuration: this.partner(partnerId)?.maxKsExpiry ?? 86400,
			...stripUndefined(input),
			id,
			objectType: 'KalturaAppToken'
		};
		coerceNumeric(t, ['status', 'sessionType', 'sessionDuration', 'expiry']);
		this.appTokens.set(id, t);
		return t;
	}

	// ---------------------------------------------------------------- templates
	getTemplate(id: number): Obj | undefined {
		const t = this.templates.get(id);
		return t && t.status !== 3 ? t : undefined;
	}
	/** Seed a partner HTTP notification template directly (as if cloned and configured). */
	addTemplate(input: Obj, condition?: TemplateCondition, partnerId = this.mainPartnerId): Obj {
		const id = (input.id as number | undefined) ?? this.nextId('template');
		const now = this.now();
		const t: Obj = {
			partnerId,
			status: 2,
			type: 'httpNotification.Http',
			createdAt: now,
			updatedAt: now,
			manualDispatchEnabled: true,
			automaticDispatchEnabled: true,
			method: 2,
			secureHashingAlgo: 1,
			...stripUndefined(input),
			id,
			objectType: (input.objectType as string | undefined) ?? 'KalturaHttpNotificationTemplate'
		};
		this.templates.set(id, t);
		if (condition) this.templateConditions.set(id, condition);
		return t;
	}

	// ---------------------------------------------------------------- snapshots for assertions
	/** Deep copies of everything, for assertions. */
	snapshot(): Record<string, unknown> {
		return clone({
			users: [...this.users.values()],
			entries: [...this.entries.values()],
			categories: [...this.categories.values()],
			categoryEntries: this.categoryEntries,
			scheduleResources: [...this.scheduleResources.values()],
			scheduleEvents: [...this.scheduleEvents.values()],
			eventResources: this.eventResources,
			appTokens: [...this.appTokens.values()],
			templates: [...this.templates.values()].filter((t) => t.partnerId !== 0),
			virtualEvents: [...this.virtualEvents.values()]
		});
	}
}
