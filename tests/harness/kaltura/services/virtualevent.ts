/**
 * virtualevent_virtualevent: add, get, update, delete, list, after kaltura/server
 * plugins/virtual_event/services/VirtualEventService.php (VIRTUAL_EVENT_NOT_FOUND "ID" for a missing or deleted
 * event). Not used by the bot.
 */
import { apiError } from '../errors.js';
import { applyFilter, applyOrder, applyPager } from '../filters.js';
import { applyWritable, obj, reqInt, reqObj, requireProps, type Obj, type Params } from '../params.js';
import { clone, listResponse } from '../serialize.js';
import type { CallContext, ServiceDef } from './types.js';

const READONLY = ['id', 'partnerId', 'status', 'createdAt', 'updatedAt'];

function getVe(ctx: CallContext, id: number): Obj {
	const v = ctx.state.virtualEvents.get(id);
	if (!v || v.partnerId !== ctx.partnerId || v.status === 3) throw apiError('VIRTUAL_EVENT_NOT_FOUND', id);
	return v;
}

export const virtualEventService: ServiceDef = {
	add: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const input = reqObj(p, 'virtualEvent');
			requireProps(input, 'KalturaVirtualEvent', ['name']);
			const id = ctx.state.nextId('virtualEvent');
			const now = ctx.state.now();
			const v: Obj = { id, partnerId: ctx.partnerId, status: 2, createdAt: now, updatedAt: now, objectType: 'KalturaVirtualEvent' };
			applyWritable(v, input, READONLY);
			ctx.state.virtualEvents.set(id, v);
			return clone(v);
		}
	},
	get: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			return clone(getVe(ctx, reqInt(p, 'id')));
		}
	},
	update: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const v = getVe(ctx, reqInt(p, 'id'));
			applyWritable(v, reqObj(p, 'virtualEvent'), READONLY);
			v.updatedAt = ctx.state.now();
			return clone(v);
		}
	},
	delete: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const v = getVe(ctx, reqInt(p, 'id'));
			v.status = 3;
			v.updatedAt = ctx.state.now();
			return null;
		}
	},
	list: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			const filter = obj(p, 'filter');
			const all = [...ctx.state.virtualEvents.values()].filter((v) => v.partnerId === ctx.partnerId && v.status !== 3);
			const filtered = applyFilter(all, filter, {}, ctx.warnings);
			const ordered = applyOrder(filtered, filter?.orderBy, '+createdAt');
			const { page, totalCount } = applyPager(ordered, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
			return listResponse('KalturaVirtualEventListResponse', clone(page), totalCount);
		}
	}
};
