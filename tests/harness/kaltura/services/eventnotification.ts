/**
 * eventnotification_eventnotificationtemplate: list, listTemplates, clone, get, update, updateStatus, delete, dispatch
 * (behaviour follows EventNotificationTemplateService.php).
 */
import { apiError } from '../errors.js';
import { applyFilter, applyOrder, applyPager } from '../filters.js';
import { applyWritable, int, obj, reqInt, type Obj, type Params } from '../params.js';
import { clone, listResponse } from '../serialize.js';
import { coerceNumeric } from '../state.js';
import type { CallContext, ServiceDef } from './types.js';

const READONLY = ['id', 'partnerId', 'createdAt', 'updatedAt', 'status', 'type'];
const INT_FIELDS = ['eventType', 'method', 'timeout', 'connectTimeout', 'secureHashingAlgo', 'authenticationMethod', 'sslVersion'];
const TYPE_CLASS: Record<string, string> = {
  'httpNotification.Http': 'KalturaHttpNotificationTemplate',
  'emailNotification.Email': 'KalturaEmailNotificationTemplate',
  'pushNotification.Push': 'KalturaPushNotificationTemplate',
  'booleanNotification.Boolean': 'KalturaBooleanNotificationTemplate',
};

function ownTemplate(ctx: CallContext, id: number): Obj {
  const t = ctx.state.getTemplate(id);
  if (!t || t.partnerId !== ctx.partnerId) throw apiError('EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND', id);
  return t;
}

function list(p: Params, ctx: CallContext, partnerId: number): unknown {
  const filter = obj(p, 'filter');
  const all = [...ctx.state.templates.values()].filter((t) => t.partnerId === partnerId && t.status !== 3);
  const filtered = applyFilter(all, filter, {}, ctx.warnings);
  const ordered = applyOrder(filtered, filter?.orderBy, '+id');
  const { page, totalCount } = applyPager(ordered, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
  return listResponse('KalturaEventNotificationTemplateListResponse', clone(page), totalCount);
}

export const eventNotificationTemplateService: ServiceDef = {
  add: {
    access: 'admin',
    handler(_p: Params, ctx: CallContext) {
      // "This action requires access to the Kaltura server Admin Console" — partners clone instead
      throw apiError('SERVICE_FORBIDDEN', `${ctx.service}->${ctx.action}`);
    },
  },
  list: {
    access: 'admin',
    handler(p: Params, ctx: CallContext) {
      return list(p, ctx, ctx.partnerId);
    },
  },
  listtemplates: {
    access: 'admin',
    handler(p: Params, ctx: CallContext) {
      return list(p, ctx, 0);
    },
  },
  get: {
    access: 'admin',
    handler(p: Params, ctx: CallContext) {
      return clone(ownTemplate(ctx, reqInt(p, 'id')));
    },
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
        applyWritable(copy, override, READONLY);
        coerceNumeric(copy, INT_FIELDS);
      }
      const systemName = copy.systemName;
      if (typeof systemName === 'string' && systemName !== '') {
        for (const t of ctx.state.templates.values()) {
          if (t.partnerId === ctx.partnerId && t.status !== 3 && t.systemName === systemName) {
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
    },
  },
  update: {
    access: 'admin',
    handler(p: Params, ctx: CallContext) {
      const t = ownTemplate(ctx, reqInt(p, 'id'));
      const input = obj(p, 'eventNotificationTemplate');
      if (!input) throw apiError('MISSING_MANDATORY_PARAMETER', 'eventNotificationTemplate');
      applyWritable(t, input, READONLY);
      coerceNumeric(t, INT_FIELDS);
      t.updatedAt = ctx.state.now();
      return clone(t);
    },
  },
  updatestatus: {
    access: 'admin',
    handler(p: Params, ctx: CallContext) {
      const t = ownTemplate(ctx, reqInt(p, 'id'));
      const status = int(p, 'status');
      if (status === undefined) throw apiError('MISSING_MANDATORY_PARAMETER', 'status');
      if (![1, 2, 3].includes(status)) throw apiError('INVALID_ENUM_VALUE', status, 'status', 'KalturaEventNotificationTemplateStatus');
      t.status = status;
      t.updatedAt = ctx.state.now();
      return clone(t);
    },
  },
  delete: {
    access: 'admin',
    handler(p: Params, ctx: CallContext) {
      const t = ownTemplate(ctx, reqInt(p, 'id'));
      t.status = 3;
      t.updatedAt = ctx.state.now();
      return null;
    },
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
    },
  },
};
