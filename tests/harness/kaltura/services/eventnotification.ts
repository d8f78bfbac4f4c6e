/**
 * eventnotification_eventnotificationtemplate: add, list, listTemplates, clone, get, update, updateStatus, delete, dispatch
 * (behaviour follows kaltura/server plugins/event_notification/services/EventNotificationTemplateService.php; who may
 * call what follows plugins/event_notification/config/permissions.ini and
 * event_notifications_permissions_and_items.ini).
 */
import { ADMIN_CONSOLE_PARTNER_ID } from '../auth.js';
import { apiError } from '../errors.js';
import { applyFilter, applyOrder, applyPager } from '../filters.js';
import { applyWritable, int, obj, reqInt, reqObj, requireObjectType, requireProps, type Obj, type Params } from '../params.js';
import { clone, listResponse } from '../serialize.js';
import { coerceNumeric, type TemplateCondition } from '../state.js';
import type { CallContext, ServiceDef } from './types.js';

const READONLY = ['id', 'partnerId', 'createdAt', 'updatedAt', 'status', 'type'];

/**
 * Properties marked `@requiresPermission update` on KalturaEventNotificationTemplate
 * (plugins/event_notification/lib/api/types/KalturaEventNotificationTemplate.php), whose parameter permission items
 * belong to partner -2 (deployment/permissions/object.KalturaEventNotificationTemplate.ini). For anyone else
 * KalturaObject::validateForUpdate drops a changed value without an error (it logs it and sets it to null), in
 * update and in clone's overwrite alike: a partner cannot point a template at other events.
 */
const ADMIN_CONSOLE_ONLY_ON_UPDATE = [
	'manualDispatchEnabled',
	'automaticDispatchEnabled',
	'eventType',
	'eventObjectType',
	'eventConditions',
	'contentParameters',
	'eventDelayedCondition'
];

function updatableInput(input: Obj, ctx: CallContext): Obj {
	if (ctx.ks?.partnerId === ADMIN_CONSOLE_PARTNER_ID) return input;
	const kept: Obj = { ...input };
	for (const name of ADMIN_CONSOLE_ONLY_ON_UPDATE) {
		if (name in kept) {
			delete kept[name];
			ctx.warnings.push(`${name} dropped: Kaltura lets only the Admin Console (partner -2) change it`);
		}
	}
	return kept;
}
const INT_FIELDS = ['eventType', 'method', 'timeout', 'connectTimeout', 'secureHashingAlgo', 'authenticationMethod', 'sslVersion'];
const TYPE_CLASS: Record<string, string> = {
	'httpNotification.Http': 'KalturaHttpNotificationTemplate',
	'emailNotification.Email': 'KalturaEmailNotificationTemplate',
	'pushNotification.Push': 'KalturaPushNotificationTemplate',
	'booleanNotification.Boolean': 'KalturaBooleanNotificationTemplate'
};

/** The template types the stand-in can add, by API class (the abstract base class is refused as the server does). */
const CLASS_TYPE: Record<string, string> = { KalturaHttpNotificationTemplate: 'httpNotification.Http' };

/** `$scope->getObject()->getFooBar()` → `fooBar`; undefined for any other code. */
function getterProperty(code: unknown): string | undefined {
	const m = typeof code === 'string' ? /^\s*\$scope->getObject\(\)->get(\w+)\(\)\s*$/.exec(code) : null;
	if (!m) return undefined;
	const name = m[1] as string;
	return name === 'PuserId' ? 'id' : name.charAt(0).toLowerCase() + name.slice(1);
}

/** Propel column name (`schedule_event.STATUS`, `entryPeer::LIVE_STATUS`) → the stand-in's field name (`status`, `liveStatus`). */
function columnField(column: string): string {
	const bare = column
		.trim()
		.replace(/^.*(\.|::)/, '')
		.toLowerCase();
	return bare.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * The stand-in's reading of an added template's eventConditions (the server evaluates them as PHP): modified
 * columns, `in_array(X::COL, ...getModifiedColumns())` and field matches on a getter. A condition it cannot read
 * never holds, so a test cannot pass on a template the stand-in only pretends to evaluate.
 */
export function conditionFromWire(conditions: unknown): TemplateCondition | undefined {
	if (!Array.isArray(conditions) || conditions.length === 0) return undefined;
	const all = (conditions as Obj[]).map((c): TemplateCondition => {
		if (c.not === true || c.not === 'true' || c.not === 1) return { kind: 'unsupported' };
		const field = (c.field ?? {}) as Obj;
		if (c.objectType === 'KalturaEventObjectChangedCondition' && typeof c.modifiedColumns === 'string') {
			return {
				kind: 'modified',
				columns: c.modifiedColumns
					.split(',')
					.filter((x) => x.trim() !== '')
					.map(columnField)
			};
		}
		if (c.objectType === 'KalturaEventFieldCondition' && typeof field.code === 'string') {
			const m = /^\s*in_array\(\s*([\w:.]+)\s*,\s*\$scope->getEvent\(\)->getModifiedColumns\(\)\s*\)\s*$/.exec(field.code);
			return m ? { kind: 'modified', columns: [columnField(m[1] as string)] } : { kind: 'unsupported' };
		}
		if (c.objectType === 'KalturaFieldMatchCondition' && Array.isArray(c.values)) {
			const prop = getterProperty(field.code);
			if (!prop) return { kind: 'unsupported' };
			return { kind: 'fieldIn', field: prop, values: (c.values as Obj[]).map((v) => String(v.value ?? '')) };
		}
		return { kind: 'unsupported' };
	});
	return all.length === 1 ? all[0] : { kind: 'and', all };
}

function ownTemplate(ctx: CallContext, id: number): Obj {
	const t = ctx.state.getTemplate(id);
	if (!t || t.partnerId !== ctx.partnerId) throw apiError('EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND', id);
	return t;
}

function list(p: Params, ctx: CallContext, partnerId: number, order: '+id' | '-id'): unknown {
	const filter = obj(p, 'filter');
	const all = [...ctx.state.templates.values()].filter((t) => t.partnerId === partnerId && t.status !== 3);
	const filtered = applyFilter(all, filter, {}, ctx.warnings);
	// listAction orders by descending id after the filter's own orderBy; listTemplatesAction adds no order (rows come by id)
	const ordered = applyOrder(filtered, filter?.orderBy, order);
	const { page, totalCount } = applyPager(ordered, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
	return listResponse('KalturaEventNotificationTemplateListResponse', clone(page), totalCount);
}

export const eventNotificationTemplateService: ServiceDef = {
	add: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			// permissions.ini and deployment/permissions/service.eventnotification.eventnotificationtemplate.ini give `add`
			// to partner -2 alone (SYSTEM_ADMIN_EVENT_NOTIFICATION_MODIFY, PARTNER_-2_GROUP_*_PERMISSION); any other
			// partner's session is refused in KalturaBaseService::initService (SERVICE_FORBIDDEN "service->action"). The
			// action's own doc comment says so: "This action requires access to the Kaltura server Admin Console. If you're
			// looking to register to existing event types, please use the clone action instead."
			if (ctx.ks?.partnerId !== ADMIN_CONSOLE_PARTNER_ID) throw apiError('SERVICE_FORBIDDEN', `${ctx.service}->${ctx.action}`);
			const input = reqObj(p, 'eventNotificationTemplate');
			const objectType = requireObjectType(input, Object.keys(CLASS_TYPE), ['KalturaEventNotificationTemplate']);
			requireProps(input, objectType, ['name', 'eventType', 'eventObjectType']);
			const now = ctx.state.now();
			const t: Obj = {
				manualDispatchEnabled: false,
				automaticDispatchEnabled: true,
				eventConditions: [],
				contentParameters: [],
				userParameters: [],
				method: 2,
				timeout: 0,
				connectTimeout: 0,
				secureHashingAlgo: 1
			};
			applyWritable(t, input, READONLY);
			coerceNumeric(t, INT_FIELDS);
			// addAction saves the template ACTIVE, owned by the impersonated partner (the request's partnerId; none, i.e.
			// partner 0, makes a template every partner can clone); it checks no system-name uniqueness.
			const owner = ctx.partnerId === ADMIN_CONSOLE_PARTNER_ID ? 0 : ctx.partnerId;
			const id = ctx.state.nextId('template');
			Object.assign(t, { id, partnerId: owner, type: CLASS_TYPE[objectType], status: 2, createdAt: now, updatedAt: now, objectType });
			ctx.state.templates.set(id, t);
			const condition = conditionFromWire(t.eventConditions);
			if (condition) ctx.state.templateConditions.set(id, condition);
			return clone(t);
		}
	},
	list: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			return list(p, ctx, ctx.partnerId, '-id');
		}
	},
	listtemplates: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			return list(p, ctx, 0, '+id');
		}
	},
	get: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			return clone(ownTemplate(ctx, reqInt(p, 'id')));
		}
	},
	clone: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const id = reqInt(p, 'id');
			const src = ctx.state.getTemplate(id);
			if (!src || (src.partnerId !== 0 && src.partnerId !== ctx.partnerId)) throw apiError('EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND', id);
			const override = obj(p, 'eventNotificationTemplate');
			const copy: Obj = clone(src);
			if (override) {
				const expectedClass = TYPE_CLASS[String(src.type)] ?? String(src.objectType);
				if (override.objectType !== undefined && override.objectType !== expectedClass) {
					throw apiError('EVENT_NOTIFICATION_WRONG_TYPE', id, String(src.type));
				}
				applyWritable(copy, updatableInput(override, ctx), READONLY);
				coerceNumeric(copy, INT_FIELDS);
			}
			// EventNotificationTemplatePeer::retrieveBySystemName: an ACTIVE template of the calling partner only
			const systemName = copy.systemName;
			if (typeof systemName === 'string' && systemName !== '') {
				for (const t of ctx.state.templates.values()) {
					if (t.partnerId === ctx.partnerId && t.status === 2 && t.systemName === systemName) {
						throw apiError('EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME', systemName);
					}
				}
			}
			const newId = ctx.state.nextId('template');
			const now = ctx.state.now();
			Object.assign(copy, { id: newId, partnerId: ctx.partnerId, createdAt: now, updatedAt: now });
			ctx.state.templates.set(newId, copy);
			const cond = ctx.state.templateConditions.get(id);
			if (cond) ctx.state.templateConditions.set(newId, cond);
			return clone(copy);
		}
	},
	update: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const t = ownTemplate(ctx, reqInt(p, 'id'));
			const input = obj(p, 'eventNotificationTemplate');
			if (!input) throw apiError('MISSING_MANDATORY_PARAMETER', 'eventNotificationTemplate');
			applyWritable(t, updatableInput(input, ctx), READONLY);
			coerceNumeric(t, INT_FIELDS);
			t.updatedAt = ctx.state.now();
			return clone(t);
		}
	},
	updatestatus: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const t = ownTemplate(ctx, reqInt(p, 'id'));
			const status = int(p, 'status');
			if (status === undefined) throw apiError('MISSING_MANDATORY_PARAMETER', 'status');
			if (![1, 2, 3].includes(status)) throw apiError('INVALID_ENUM_VALUE', status, 'status', 'KalturaEventNotificationTemplateStatus');
			// updateStatusAction: activating checks the system name against the partner's ACTIVE templates, itself included
			if (status === 2 && typeof t.systemName === 'string' && t.systemName !== '') {
				for (const other of ctx.state.templates.values()) {
					if (other.partnerId === ctx.partnerId && other.status === 2 && other.systemName === t.systemName) {
						throw apiError('EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME', t.systemName);
					}
				}
			}
			t.status = status;
			t.updatedAt = ctx.state.now();
			return clone(t);
		}
	},
	delete: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const t = ownTemplate(ctx, reqInt(p, 'id'));
			t.status = 3;
			t.updatedAt = ctx.state.now();
			return null;
		}
	},
	dispatch: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const id = reqInt(p, 'id');
			const t = ownTemplate(ctx, id);
			if (!t.manualDispatchEnabled) throw apiError('EVENT_NOTIFICATION_DISPATCH_DISABLED', id);
			const dispatch = ctx.state.manualDispatch;
			if (!dispatch) throw apiError('EVENT_NOTIFICATION_DISPATCH_DISABLED', id);
			return dispatch(clone(t), obj(p, 'data'));
		}
	}
};
