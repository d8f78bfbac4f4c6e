/**
 * schedule plugin: scheduleResource, scheduleEvent, scheduleEventResource.
 * Wire ids: schedule_scheduleresource, schedule_scheduleevent, schedule_scheduleeventresource.
 */
import { apiError } from '../errors.js';
import { applyFilter, applyOrder, applyPager } from '../filters.js';
import { applyWritable, bool, obj, reqInt, reqObj, requireObjectType, requireProps, type Obj, type Params } from '../params.js';
import { clone, listResponse } from '../serialize.js';
import { coerceNumeric, EVENT_OBJECT_TYPE, EVENT_TYPE } from '../state.js';
import { ksUserId, type CallContext, type ServiceDef } from './types.js';

const RESOURCE_TYPES = ['KalturaLocationScheduleResource', 'KalturaCameraScheduleResource', 'KalturaLiveEntryScheduleResource'];
const EVENT_TYPES = [
	'KalturaRecordScheduleEvent',
	'KalturaLiveStreamScheduleEvent',
	'KalturaMeetingScheduleEvent',
	'KalturaVodScheduleEvent',
	'KalturaLiveRedirectScheduleEvent',
	'KalturaBlackoutScheduleEvent',
	'KalturaVirtualScheduleEvent'
];
const ABSTRACT_EVENT_TYPES = ['KalturaScheduleEvent', 'KalturaEntryScheduleEvent', 'KalturaBaseLiveScheduleEvent'];
const ENTRY_EVENT_TYPES = [
	'KalturaRecordScheduleEvent',
	'KalturaLiveStreamScheduleEvent',
	'KalturaMeetingScheduleEvent',
	'KalturaVodScheduleEvent',
	'KalturaLiveRedirectScheduleEvent'
];

/** filter objectType → event objectTypes it lists */
const EVENT_FILTER_SCOPE: Record<string, readonly string[]> = {
	KalturaScheduleEventFilter: EVENT_TYPES,
	KalturaEntryScheduleEventFilter: ENTRY_EVENT_TYPES,
	KalturaRecordScheduleEventFilter: ['KalturaRecordScheduleEvent'],
	KalturaLiveStreamScheduleEventFilter: ['KalturaLiveStreamScheduleEvent'],
	KalturaMeetingScheduleEventFilter: ['KalturaMeetingScheduleEvent'],
	KalturaVodScheduleEventFilter: ['KalturaVodScheduleEvent'],
	KalturaLiveRedirectScheduleEventFilter: ['KalturaLiveRedirectScheduleEvent'],
	KalturaBlackoutScheduleEventFilter: ['KalturaBlackoutScheduleEvent'],
	KalturaVirtualScheduleEventFilter: ['KalturaVirtualScheduleEvent']
};
const RESOURCE_FILTER_SCOPE: Record<string, readonly string[]> = {
	KalturaScheduleResourceFilter: RESOURCE_TYPES,
	KalturaLocationScheduleResourceFilter: ['KalturaLocationScheduleResource'],
	KalturaCameraScheduleResourceFilter: ['KalturaCameraScheduleResource'],
	KalturaLiveEntryScheduleResourceFilter: ['KalturaLiveEntryScheduleResource']
};

const RESOURCE_READONLY = ['id', 'partnerId', 'status', 'createdAt', 'updatedAt'];
const EVENT_READONLY = ['id', 'partnerId', 'status', 'createdAt', 'updatedAt', 'sequence', 'linkedBy', 'parentId'];
const EVENT_INT_FIELDS = [
	'startDate',
	'endDate',
	'duration',
	'recurrenceType',
	'classificationType',
	'priority',
	'preStartTime',
	'postEndTime',
	'projectedAudience'
];

/**
 * ScheduleResourceService get/update/delete: INVALID_OBJECT_ID when ScheduleResourcePeer::retrieveByPK finds nothing
 * (kaltura/server plugins/schedule/base/services/ScheduleResourceService.php). Deleted resources (status 3) are found
 * by nothing (state.getScheduleResource).
 */
function getResource(ctx: CallContext, id: number): Obj {
	const r = ctx.state.getScheduleResource(id);
	if (!r || r.partnerId !== ctx.partnerId) throw apiError('INVALID_OBJECT_ID', id);
	return r;
}

/**
 * ScheduleEventService get/update/cancel/delete: INVALID_OBJECT_ID with the id when ScheduleEventPeer::retrieveByPK
 * finds nothing (kaltura/server plugins/schedule/base/services/ScheduleEventService.php). The peer's default criteria
 * leave out status DELETED (plugins/schedule/base/lib/model/ScheduleEventPeer.php setDefaultCriteriaFilter), so a
 * deleted event is missing to every action and every list (state.getScheduleEvent, list below), while a CANCELLED one
 * is still got, listed, cancelled again and deleted. Another partner's event is filtered out the same way
 * (applyPartnerFilterForClass in initService).
 */
function getEvent(ctx: CallContext, id: number): Obj {
	const e = ctx.state.getScheduleEvent(id);
	if (!e || e.partnerId !== ctx.partnerId) throw apiError('INVALID_OBJECT_ID', id);
	return e;
}

function checkSystemName(ctx: CallContext, systemName: unknown, exceptId?: number): void {
	if (typeof systemName !== 'string' || systemName === '') return;
	for (const r of ctx.state.scheduleResources.values()) {
		if (r.status !== 3 && r.partnerId === ctx.partnerId && r.systemName === systemName && r.id !== exceptId) {
			throw apiError('SYSTEM_NAME_ALREADY_EXISTS', systemName);
		}
	}
}

function validateDates(e: Obj, objectType: string): void {
	if (e.linkedTo) return;
	requireProps(e, objectType, ['startDate', 'endDate']);
	if ((e.endDate as number) <= (e.startDate as number))
		throw apiError('INVALID_SCHEDULE_END_BEFORE_START', e.startDate as number, e.endDate as number);
}

function linkedResourceIds(ctx: CallContext, eventId: unknown): number[] {
	return ctx.state.eventResources.filter((l) => l.eventId === eventId).map((l) => l.resourceId as number);
}

export const scheduleResourceService: ServiceDef = {
	add: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const input = reqObj(p, 'scheduleResource');
			const t = requireObjectType(input, RESOURCE_TYPES, ['KalturaScheduleResource']);
			requireProps(input, t, ['name']);
			const r: Obj = {};
			applyWritable(r, input, RESOURCE_READONLY);
			coerceNumeric(r, ['parentId']);
			if (r.parentId && !ctx.state.getScheduleResource(r.parentId as number))
				throw apiError('RESOURCE_PARENT_ID_NOT_FOUND', r.parentId as number);
			checkSystemName(ctx, r.systemName);
			return clone(ctx.state.addScheduleResource({ ...(r as Obj & { name: string }), objectType: t }, ctx.partnerId));
		}
	},
	get: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			return clone(getResource(ctx, reqInt(p, 'scheduleResourceId')));
		}
	},
	update: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const r = getResource(ctx, reqInt(p, 'scheduleResourceId'));
			const input = reqObj(p, 'scheduleResource');
			const patch: Obj = {};
			applyWritable(patch, input, RESOURCE_READONLY);
			coerceNumeric(patch, ['parentId']);
			checkSystemName(ctx, patch.systemName, r.id as number);
			Object.assign(r, patch);
			r.updatedAt = ctx.state.now();
			return clone(r);
		}
	},
	delete: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const r = getResource(ctx, reqInt(p, 'scheduleResourceId'));
			r.status = 3;
			r.updatedAt = ctx.state.now();
			return clone(r);
		}
	},
	list: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			const filter = obj(p, 'filter');
			const scope = RESOURCE_FILTER_SCOPE[String(filter?.objectType ?? 'KalturaScheduleResourceFilter')] ?? RESOURCE_TYPES;
			const all = [...ctx.state.scheduleResources.values()].filter(
				(r) => r.partnerId === ctx.partnerId && r.status !== 3 && scope.includes(String(r.objectType))
			);
			const filtered = applyFilter(all, filter, {}, ctx.warnings);
			const ordered = applyOrder(filtered, filter?.orderBy, '+createdAt');
			const { page, totalCount } = applyPager(ordered, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
			return listResponse('KalturaScheduleResourceListResponse', clone(page), totalCount);
		}
	}
};

export const scheduleEventService: ServiceDef = {
	add: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const input = reqObj(p, 'scheduleEvent');
			const t = requireObjectType(input, EVENT_TYPES, ABSTRACT_EVENT_TYPES);
			const e: Obj = {};
			applyWritable(e, input, EVENT_READONLY);
			coerceNumeric(e, EVENT_INT_FIELDS);
			// KalturaScheduleEvent::validateForInsert
			requireProps(e, t, ['summary', 'recurrenceType']);
			validateDates(e, t);
			if (e.templateEntryId && !ctx.state.getEntry(String(e.templateEntryId))) throw apiError('ENTRY_ID_NOT_FOUND', String(e.templateEntryId));
			if (e.ownerId === undefined) e.ownerId = ksUserId(ctx);
			const created = ctx.state.addScheduleEvent(
				{ ...(e as Obj & { summary: string; startDate: number; endDate: number }), objectType: t },
				ctx.partnerId
			);
			if (typeof e.duration === 'number' && e.linkedTo) created.duration = e.duration;
			return clone(created);
		}
	},
	get: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			return clone(getEvent(ctx, reqInt(p, 'scheduleEventId')));
		}
	},
	update: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const e = getEvent(ctx, reqInt(p, 'scheduleEventId'));
			const input = reqObj(p, 'scheduleEvent');
			if (input.objectType && input.objectType !== e.objectType && !ABSTRACT_EVENT_TYPES.includes(String(input.objectType))) {
				throw apiError('INVALID_OBJECT_TYPE', String(input.objectType));
			}
			const patch: Obj = {};
			applyWritable(patch, input, EVENT_READONLY);
			coerceNumeric(patch, EVENT_INT_FIELDS);
			const next = { ...e, ...patch };
			validateDates(next, String(e.objectType));
			const modified = Object.keys(patch).filter((k) => JSON.stringify(e[k]) !== JSON.stringify(patch[k]));
			Object.assign(e, patch);
			e.duration = (e.endDate as number) - (e.startDate as number);
			e.sequence = ((e.sequence as number) || 0) + 1;
			e.updatedAt = ctx.state.now();
			ctx.state.emit({
				eventType: EVENT_TYPE.OBJECT_CHANGED,
				eventObjectType: EVENT_OBJECT_TYPE.SCHEDULE_EVENT,
				object: e,
				modifiedColumns: modified,
				partnerId: ctx.partnerId
			});
			return clone(e);
		}
	},
	cancel: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const e = getEvent(ctx, reqInt(p, 'scheduleEventId'));
			e.status = 1;
			e.updatedAt = ctx.state.now();
			ctx.state.emit({
				eventType: EVENT_TYPE.OBJECT_CHANGED,
				eventObjectType: EVENT_OBJECT_TYPE.SCHEDULE_EVENT,
				object: e,
				modifiedColumns: ['status'],
				partnerId: ctx.partnerId
			});
			return clone(e);
		}
	},
	delete: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const e = getEvent(ctx, reqInt(p, 'scheduleEventId'));
			e.status = 3;
			e.updatedAt = ctx.state.now();
			ctx.state.emit({
				eventType: EVENT_TYPE.OBJECT_DELETED,
				eventObjectType: EVENT_OBJECT_TYPE.SCHEDULE_EVENT,
				object: e,
				modifiedColumns: [],
				partnerId: ctx.partnerId
			});
			return clone(e);
		}
	},
	list: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			const filter = obj(p, 'filter');
			const scope = EVENT_FILTER_SCOPE[String(filter?.objectType ?? 'KalturaScheduleEventFilter')] ?? EVENT_TYPES;
			const all = [...ctx.state.scheduleEvents.values()].filter(
				(e) => e.partnerId === ctx.partnerId && e.status !== 3 && scope.includes(String(e.objectType))
			);
			const resourceField = (e: Obj, f: string): unknown => {
				const ids = linkedResourceIds(ctx, e.id);
				switch (f) {
					case 'resourceIds':
						return ids.join(',');
					case 'parentResourceIds':
						return ids
							.map((id) => ctx.state.scheduleResources.get(id)?.parentId)
							.filter(Boolean)
							.join(',');
					case 'resourceSystemNames':
						return ids
							.map((id) => ctx.state.scheduleResources.get(id)?.systemName)
							.filter(Boolean)
							.join(',');
					case 'templateEntryCategoriesIds':
						return e.templateEntryId ? String(ctx.state.getEntry(String(e.templateEntryId))?.categoriesIds ?? '') : '';
					default:
						return undefined;
				}
			};
			const filtered = applyFilter(
				all,
				filter,
				{
					special: {
						resourceIdEqual: (e, v) => linkedResourceIds(ctx, e.id).includes(Number(v))
					},
					field: resourceField
				},
				ctx.warnings
			);
			const ordered = applyOrder(filtered, filter?.orderBy, '+createdAt');
			const { page, totalCount } = applyPager(ordered, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
			return listResponse('KalturaScheduleEventListResponse', clone(page), totalCount);
		}
	}
};

function getLink(ctx: CallContext, eventId: number, resourceId: number): Obj {
	const l = ctx.state.eventResources.find((x) => x.eventId === eventId && x.resourceId === resourceId && x.partnerId === ctx.partnerId);
	if (!l) throw apiError('INVALID_OBJECT_ID', `${eventId},${resourceId}`);
	return l;
}

export const scheduleEventResourceService: ServiceDef = {
	add: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const input = reqObj(p, 'scheduleEventResource');
			requireProps(input, 'KalturaScheduleEventResource', ['eventId', 'resourceId']);
			const eventId = Number(input.eventId);
			const resourceId = Number(input.resourceId);
			// Unlike get/cancel, a missing event or resource here is SCHEDULE_EVENT_ID_NOT_FOUND / SCHEDULE_RESOURCE_ID_NOT_FOUND,
			// checked after the duplicate (kaltura/server plugins/schedule/base/lib/api/KalturaScheduleEventResource.php
			// validateForInsert); state.linkEventResource checks in that order. Another partner's objects are not found.
			const ownEvent = ctx.state.scheduleEvents.get(eventId)?.partnerId === ctx.partnerId;
			const ownResource = resourceId === 0 || ctx.state.scheduleResources.get(resourceId)?.partnerId === ctx.partnerId;
			return clone(ctx.state.linkEventResource(ownEvent ? eventId : -1, ownResource ? resourceId : -1, ctx.partnerId, { eventId, resourceId }));
		}
	},
	get: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			return clone(getLink(ctx, reqInt(p, 'scheduleEventId'), reqInt(p, 'scheduleResourceId')));
		}
	},
	update: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const l = getLink(ctx, reqInt(p, 'scheduleEventId'), reqInt(p, 'scheduleResourceId'));
			l.updatedAt = ctx.state.now();
			return clone(l);
		}
	},
	delete: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const l = getLink(ctx, reqInt(p, 'scheduleEventId'), reqInt(p, 'scheduleResourceId'));
			const idx = ctx.state.eventResources.indexOf(l);
			ctx.state.eventResources.splice(idx, 1);
			return null;
		}
	},
	list: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			void bool(p, 'filterBlackoutConflicts');
			const filter = obj(p, 'filter');
			const all = ctx.state.eventResources.filter((l) => l.partnerId === ctx.partnerId);
			const filtered = applyFilter(
				all,
				filter,
				{
					special: {
						eventIdOrItsParentIdEqual: (l, v) =>
							l.eventId === Number(v) || ctx.state.scheduleEvents.get(l.eventId as number)?.parentId === Number(v)
					}
				},
				ctx.warnings
			);
			const ordered = applyOrder(filtered, filter?.orderBy, '+createdAt');
			const { page, totalCount } = applyPager(ordered, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
			return listResponse('KalturaScheduleEventResourceListResponse', clone(page), totalCount);
		}
	}
};
