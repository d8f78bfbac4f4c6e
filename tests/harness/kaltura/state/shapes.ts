import type { Obj } from '../params.js';

/** EventNotificationEventType */
export const EVENT_TYPE = { OBJECT_ADDED: 2, OBJECT_CHANGED: 3, OBJECT_CREATED: 5, OBJECT_DATA_CHANGED: 6, OBJECT_DELETED: 7 } as const;
/** EventNotificationEventObjectType (core numbers, plugin strings) */
export const EVENT_OBJECT_TYPE = {
	ENTRY: 1,
	CATEGORY: 2,
	KUSER: 8,
	CATEGORYENTRY: 37,
	SCHEDULE_EVENT: 'scheduleEventNotifications.ScheduleEvent',
	SCHEDULE_RESOURCE: 'scheduleEventNotifications.ScheduleResource'
} as const;

export interface DomainEvent {
	eventType: number;
	eventObjectType: number | string;
	/** the API object (wire shape) after the change */
	object: Obj;
	/** columns changed (for OBJECT_CHANGED), e.g. ['status'] or ['liveStatus'] */
	modifiedColumns: string[];
	partnerId: number;
}

export interface PartnerConfig {
	id: number;
	adminSecret: string;
	userSecret: string;
	name?: string;
	/** max KS lifetime in seconds (session.start expiry is capped to it) */
	maxKsExpiry?: number;
	/**
	 * Partner::getDefaultEntitlementEnforcement of a partner with FEATURE_ENTITLEMENT: entitlement enforced for sessions
	 * that neither enable nor disable it (entitlement.ts). Off when unset, as for a partner without the feature.
	 */
	defaultEntitlementEnforcement?: boolean;
}

export interface RoleDef {
	id: number;
	systemName: string;
	name?: string;
	/** 'ADMIN' = everything; otherwise "service.action" patterns ("media.*", "*.list") */
	permissions: 'ADMIN' | string[];
}

/** Entry fields that are ints on the wire (coerced from numeric strings on input). */
export const ENTRY_INT_FIELDS = [
	'status',
	'type',
	'mediaType',
	'sourceType',
	'moderationStatus',
	'duration',
	'msDuration',
	'plays',
	'views',
	'width',
	'height',
	'startDate',
	'endDate',
	'accessControlId',
	'conversionProfileId',
	'licenseType',
	'displayInSearch',
	'recordStatus',
	'dvrStatus',
	'dvrWindow',
	'viewMode',
	'liveStatus',
	'recordingStatus',
	'segmentDuration',
	'explicitLive',
	'durationType',
	'mediaDate',
	'partnerSortValue',
	'lastPlayedAt',
	'searchProviderType'
] as const;

/**
 * Stand-in approximation of a template's eventConditions (the server evaluates PHP expressions;
 * here a small declarative form). Evaluated on OBJECT_CHANGED & co. against the DomainEvent.
 */
export type TemplateCondition =
	| { kind: 'always' }
	/** one of the columns was modified */
	| { kind: 'modified'; columns: string[] }
	/** column modified and the object's field equals a user parameter value (or a fixed value) */
	| { kind: 'modifiedEquals'; column: string; field: string; userParameterKey?: string; value?: string }
	/** entry type filter on top of another condition */
	| { kind: 'and'; all: TemplateCondition[] }
	| { kind: 'fieldEquals'; field: string; value: string }
	/** the object's field is one of the values (KalturaFieldMatchCondition) */
	| { kind: 'fieldIn'; field: string; values: string[] }
	/** a condition the stand-in cannot evaluate: never holds */
	| { kind: 'unsupported' };

/**
 * kuser.partner_data is `varchar(4096)` (kaltura/server deployment/base/sql/01.kaltura_ce_tables.sql, table
 * `kuser`; alpha/config/schema.xml), the API does not check its length (api_v3/lib/types/KalturaBaseUser.php
 * `$partnerData` is a plain string) and the database runs with `SET GLOBAL sql_mode = ''` (the same .sql file),
 * so MySQL stores the first 4,096 characters of a longer value without an error, and that is what reads return.
 */
export const PARTNER_DATA_MAX_CHARS = 4096;
export function fitPartnerData(user: Obj): void {
	if (typeof user.partnerData !== 'string') return;
	const chars = [...user.partnerData];
	if (chars.length > PARTNER_DATA_MAX_CHARS) user.partnerData = chars.slice(0, PARTNER_DATA_MAX_CHARS).join('');
}

export function stripUndefined(o: Obj): Obj {
	const out: Obj = {};
	for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
	return out;
}

export function coerceNumeric(o: Obj, fields: readonly string[]): void {
	for (const f of fields) {
		const v = o[f];
		if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) o[f] = Number(v);
	}
}
