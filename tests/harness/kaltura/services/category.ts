/**
 * category (add, get, update, delete, list) and categoryEntry (add, delete, list), after kaltura/server
 * api_v3/services/CategoryService.php and CategoryEntryService.php: CATEGORY_NOT_FOUND "ID" for a category not the
 * partner's or deleted, DUPLICATE_CATEGORY for a second active category of the same full name (alpha/lib/model/category.php, via
 * handleCoreException). category add/update/delete need CONTENT_MANAGE_EDIT_CATEGORIES, an admin role's
 * (deployment/permissions/service.category.ini; 'admin' here); get/list and categoryEntry add/delete are open to
 * USER sessions too (BASE_USER_SESSION_PERMISSION in service.category.ini / service.categoryentry.ini).
 */
import { apiError } from '../errors.js';
import { applyFilter, applyOrder, applyPager } from '../filters.js';
import { applyWritable, obj, reqInt, reqObj, reqStr, requireProps, type Obj, type Params } from '../params.js';
import { clone, listResponse } from '../serialize.js';
import { coerceNumeric, EVENT_OBJECT_TYPE, EVENT_TYPE } from '../state.js';
import { assertEntry } from './entry.js';
import { ksUserId, type CallContext, type ServiceDef } from './types.js';

const READONLY = [
	'id',
	'partnerId',
	'depth',
	'fullName',
	'fullIds',
	'entriesCount',
	'createdAt',
	'updatedAt',
	'directEntriesCount',
	'membersCount',
	'pendingMembersCount',
	'status',
	'inheritedParentId',
	'directSubCategoriesCount',
	'pendingEntriesCount'
];
const INT_FIELDS = [
	'parentId',
	'appearInList',
	'privacy',
	'inheritanceType',
	'userJoinPolicy',
	'defaultPermissionLevel',
	'contributionPolicy',
	'partnerSortValue'
];

function getCategory(ctx: CallContext, id: number): Obj {
	const c = ctx.state.getCategory(id);
	if (!c || c.partnerId !== ctx.partnerId) throw apiError('CATEGORY_NOT_FOUND', id);
	return c;
}

export const categoryService: ServiceDef = {
	add: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const input = reqObj(p, 'category');
			requireProps(input, 'KalturaCategory', ['name']);
			const c: Obj = {};
			applyWritable(c, input, READONLY);
			coerceNumeric(c, INT_FIELDS);
			return clone(ctx.state.addCategory(c as Obj & { name: string }, ctx.partnerId));
		}
	},
	get: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			return clone(getCategory(ctx, reqInt(p, 'id')));
		}
	},
	update: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const c = getCategory(ctx, reqInt(p, 'id'));
			const patch: Obj = {};
			applyWritable(patch, reqObj(p, 'category'), [...READONLY, 'parentId']);
			coerceNumeric(patch, INT_FIELDS);
			const modified = Object.keys(patch).filter((k) => JSON.stringify(c[k]) !== JSON.stringify(patch[k]));
			Object.assign(c, patch);
			if ('name' in patch) {
				const parent = c.parentId ? ctx.state.getCategory(c.parentId as number) : undefined;
				c.fullName = parent ? `${String(parent.fullName)}>${String(c.name)}` : c.name;
			}
			c.updatedAt = ctx.state.now();
			if (modified.length) {
				ctx.state.emit({
					eventType: EVENT_TYPE.OBJECT_CHANGED,
					eventObjectType: EVENT_OBJECT_TYPE.CATEGORY,
					object: c,
					modifiedColumns: modified,
					partnerId: ctx.partnerId
				});
			}
			return clone(c);
		}
	},
	delete: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const c = getCategory(ctx, reqInt(p, 'id'));
			c.status = 3;
			c.updatedAt = ctx.state.now();
			ctx.state.emit({
				eventType: EVENT_TYPE.OBJECT_DELETED,
				eventObjectType: EVENT_OBJECT_TYPE.CATEGORY,
				object: c,
				modifiedColumns: [],
				partnerId: ctx.partnerId
			});
			return null;
		}
	},
	list: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			const filter = obj(p, 'filter');
			const all = [...ctx.state.categories.values()].filter((c) => c.partnerId === ctx.partnerId && c.status !== 3);
			const filtered = applyFilter(
				all,
				filter,
				{
					special: {
						freeText: (c, v) =>
							[c.name, c.description, c.tags, c.referenceId].some((x) =>
								String(x ?? '')
									.toLowerCase()
									.includes(String(v).toLowerCase())
							),
						nameOrReferenceIdStartsWith: (c, v) =>
							[c.name, c.referenceId].some((x) =>
								String(x ?? '')
									.toLowerCase()
									.startsWith(String(v).toLowerCase())
							),
						ancestorIdIn: (c, v) =>
							String(v)
								.split(',')
								.some((id) => String(c.fullIds).split('>').slice(0, -1).includes(id.trim())),
						fullNameStartsWithIn: (c, v) =>
							String(v)
								.split(',')
								.some((n) => String(c.fullName).startsWith(n.trim())),
						idOrInheritedParentIdIn: (c, v) =>
							String(v)
								.split(',')
								.some((id) => String(c.id) === id.trim() || String(c.inheritedParentId ?? '') === id.trim())
					},
					ignore: ['membersIn', 'managerEqual', 'memberEqual']
				},
				ctx.warnings
			);
			const ordered = applyOrder(filtered, filter?.orderBy, '+id');
			const { page, totalCount } = applyPager(ordered, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
			return listResponse('KalturaCategoryListResponse', clone(page), totalCount);
		}
	}
};

export const categoryEntryService: ServiceDef = {
	add: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			const input = reqObj(p, 'categoryEntry');
			requireProps(input, 'KalturaCategoryEntry', ['categoryId', 'entryId']);
			const entry = assertEntry(ctx, String(input.entryId));
			const catId = Number(input.categoryId);
			getCategory(ctx, catId);
			return clone(ctx.state.addCategoryEntry(String(entry.id), catId, ksUserId(ctx)));
		}
	},
	delete: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			const entryId = reqStr(p, 'entryId');
			assertEntry(ctx, entryId);
			const catId = reqInt(p, 'categoryId');
			getCategory(ctx, catId);
			ctx.state.removeCategoryEntry(entryId, catId);
			return null;
		}
	},
	list: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			const filter = obj(p, 'filter');
			const all = ctx.state.categoryEntries.filter(
				(ce) => ce.status !== 3 && ctx.state.getCategory(ce.categoryId as number)?.partnerId === ctx.partnerId
			);
			const filtered = applyFilter(
				all,
				filter,
				{
					special: {
						categoryIdEqual: (ce, v) => ce.categoryId === Number(v),
						categoryIdIn: (ce, v) =>
							String(v)
								.split(',')
								.map(Number)
								.includes(ce.categoryId as number),
						categoryFullIdsStartsWith: (ce, v) => String(ce.categoryFullIds).startsWith(String(v))
					}
				},
				ctx.warnings
			);
			const ordered = applyOrder(filtered, filter?.orderBy, '+createdAt');
			const { page, totalCount } = applyPager(ordered, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
			return listResponse('KalturaCategoryEntryListResponse', clone(page), totalCount);
		}
	}
};
