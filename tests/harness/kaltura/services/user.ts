/**
 * user: add, get, update, delete, list, after kaltura/server api_v3/services/UserService.php. add/update/delete/list
 * need admin roles (ADMIN_USER_*, ADMIN_BASE in deployment/permissions/service.user.ini; 'admin' here); get is
 * open to USER and widget sessions too (BASE_USER_SESSION_PERMISSION, WIDGET_SESSION_PERMISSION), a USER session
 * reading only its own user (CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION, UserService::getAction).
 */
import { apiError } from '../errors.js';
import { applyFilter, applyOrder, applyPager } from '../filters.js';
import { applyWritable, obj, reqObj, str, type Obj, type Params } from '../params.js';
import { clone, listResponse } from '../serialize.js';
import { coerceNumeric, EVENT_OBJECT_TYPE, EVENT_TYPE, fitPartnerData } from '../state.js';
import { isAdmin, ksUserId, type CallContext, type ServiceDef } from './types.js';

/**
 * `isAdmin` and `isAccountOwner` are on every KalturaUser the service returns (kaltura/server
 * api_v3/lib/types/KalturaUser.php maps both from kuser). `isAdmin` is a writable bool (a KMC/partner
 * admin); UserService::addAction (api_v3/services/UserService.php) forces it true for a KalturaAdminUser.
 * `isAccountOwner` is never taken from a request: kuser::getIsAccountOwner (alpha/lib/model/kuser.php)
 * compares the user with the partner's account owner; seeds mark that user with `isAccountOwner: true`.
 */
function isAdminInput(input: Obj): boolean | undefined {
	if (input.objectType === 'KalturaAdminUser') return true;
	const v = input.isAdmin;
	if (v === undefined) return undefined;
	return v === true || v === 1 || v === '1' || (typeof v === 'string' && v.toLowerCase() === 'true');
}

/** kuser::PUSER_ID_REGEXP */
export const PUSER_ID_REGEXP = /^[A-Za-z0-9,!#$%&'*+?^_`{|}~.@-]{1,320}$/;
const READONLY = [
	'partnerId',
	'createdAt',
	'updatedAt',
	'roleNames',
	'isAccountOwner',
	'storageSize',
	'lastLoginTime',
	'statusUpdatedAt',
	'deletedAt',
	'fullName'
];
const INT_FIELDS = ['status', 'type', 'gender', 'dateOfBirth'];

function fullName(u: Obj): string | undefined {
	return [u.firstName, u.lastName].filter((x) => typeof x === 'string' && x !== '').join(' ') || undefined;
}

function requireUser(ctx: CallContext, id: string): Obj {
	const u = ctx.state.getUser(id, ctx.partnerId);
	if (!u) throw apiError('INVALID_USER_ID');
	return u;
}

/** SphinxCriterion::MAX_IN_VALUES (plugins/search/providers/sphinx_search/lib/SphinxCriterion.php). */
const SPHINX_MAX_IN_VALUES = 150;

let inValuesOf: { raw: string; values: Set<string> } | undefined;
/** The ids an idIn value finds (the last one kept: a list asks for each user with the same value). */
function sphinxInValues(v: unknown): Set<string> {
	const raw = String(v);
	if (inValuesOf?.raw !== raw) {
		const values = raw.split(',').filter((x) => /^\d+$/.test(x) || x.length > 1);
		inValuesOf = {
			raw,
			values: new Set(
				values
					.slice(0, SPHINX_MAX_IN_VALUES)
					.map((x) => x.trim().toLowerCase())
					.filter((x) => x !== '')
			)
		};
	}
	return inValuesOf.values;
}

export const userService: ServiceDef = {
	add: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const input = reqObj(p, 'user');
			const id = input.id as string | undefined;
			const externalId = input.externalId as string | undefined;
			if (id && externalId) throw apiError('ID_AND_EXTERNAL_ID_ARE_MUTUALLY_EXCLUSIVE');
			const effectiveId = id ?? externalId;
			if (effectiveId === undefined || effectiveId === '') throw apiError('PROPERTY_VALIDATION_CANNOT_BE_NULL', 'KalturaUser::id');
			if (!PUSER_ID_REGEXP.test(String(effectiveId))) throw apiError('INVALID_FIELD_VALUE', 'id');
			if (ctx.state.getUser(String(effectiveId), ctx.partnerId)) throw apiError('DUPLICATE_USER_BY_ID', String(effectiveId));
			if (input.roleIds && String(input.roleIds).includes(',')) throw apiError('ONLY_ONE_ROLE_PER_USER_ALLOWED');
			const u: Obj = {};
			applyWritable(u, input, READONLY);
			coerceNumeric(u, INT_FIELDS);
			u.id = String(effectiveId);
			u.isAdmin = isAdminInput(input) ?? false;
			u.fullName = fullName(u);
			return clone(ctx.state.addUser(u as Obj & { id: string }, ctx.partnerId));
		}
	},
	get: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			const id = str(p, 'userId') ?? ksUserId(ctx);
			if (!isAdmin(ctx) && id !== ksUserId(ctx)) throw apiError('CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION', id);
			return clone(requireUser(ctx, id));
		}
	},
	update: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const id = str(p, 'userId') ?? '';
			const u = requireUser(ctx, id);
			const input = reqObj(p, 'user');
			const modified: string[] = [];
			const patch: Obj = {};
			applyWritable(patch, input, [...READONLY, 'password', 'loginEnabled', 'externalId']);
			coerceNumeric(patch, INT_FIELDS);
			if ('isAdmin' in patch) patch.isAdmin = isAdminInput({ isAdmin: patch.isAdmin }) ?? false;
			// what the column keeps of partnerData (fitPartnerData) is what counts as changed
			fitPartnerData(patch);
			for (const [k, v] of Object.entries(patch)) {
				if (JSON.stringify(u[k]) !== JSON.stringify(v)) modified.push(k);
				u[k] = v;
			}
			if ('id' in patch && patch.id !== id) {
				// renaming a user: allowed by the server when the new id is free
				if (!PUSER_ID_REGEXP.test(String(patch.id))) throw apiError('INVALID_FIELD_VALUE', 'id');
				// Ids are found without regard to case (state.userKey), so a change of case only finds this user itself.
				const holder = ctx.state.getUser(String(patch.id), ctx.partnerId);
				if (holder !== undefined && holder !== u) throw apiError('DUPLICATE_USER_BY_ID', String(patch.id));
				ctx.state.users.delete(ctx.state.userKey(id, ctx.partnerId));
				ctx.state.users.set(ctx.state.userKey(String(patch.id), ctx.partnerId), u);
			}
			u.fullName = fullName(u);
			u.updatedAt = ctx.state.now();
			if (modified.length) {
				ctx.state.emit({
					eventType: EVENT_TYPE.OBJECT_CHANGED,
					eventObjectType: EVENT_OBJECT_TYPE.KUSER,
					object: u,
					modifiedColumns: modified,
					partnerId: ctx.partnerId
				});
			}
			return clone(u);
		}
	},
	delete: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const u = requireUser(ctx, str(p, 'userId') ?? '');
			u.status = 2;
			u.deletedAt = ctx.state.now();
			u.updatedAt = ctx.state.now();
			u.statusUpdatedAt = ctx.state.now();
			ctx.state.emit({
				eventType: EVENT_TYPE.OBJECT_DELETED,
				eventObjectType: EVENT_OBJECT_TYPE.KUSER,
				object: u,
				modifiedColumns: [],
				partnerId: ctx.partnerId
			});
			return clone(u);
		}
	},
	list: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const filter = obj(p, 'filter');
			const all = [...ctx.state.users.values()].filter((u) => u.partnerId === ctx.partnerId && u.status !== 2);
			const filtered = applyFilter(
				all,
				filter,
				{
					special: {
						/**
						 * User lists are answered by Sphinx (kaltura/server plugins/search/providers/sphinx_search/SphinxSearchPlugin.php
						 * gives kuser a SphinxKuserCriteria; KalturaUserFilter maps idIn to `_in_puser_id`). For a text field such
						 * as puser_id, SphinxCriterion::getStringMatchClause drops values of one character that are not numbers and
						 * keeps only the first MAX_IN_VALUES = 150 of the rest, without an error; matching is case-insensitive.
						 */
						idIn: (u, v) => sphinxInValues(v).has(String(u.id).toLowerCase()),
						idOrScreenNameStartsWith: (u, v) =>
							[u.id, u.screenName].some((x) =>
								String(x ?? '')
									.toLowerCase()
									.startsWith(String(v).toLowerCase())
							),
						firstNameOrLastNameStartsWith: (u, v) =>
							[u.firstName, u.lastName].some((x) =>
								String(x ?? '')
									.toLowerCase()
									.startsWith(String(v).toLowerCase())
							),
						roleIdEqual: (u, v) =>
							String(u.roleIds ?? '')
								.split(',')
								.includes(String(v)),
						roleIdsIn: (u, v) =>
							String(v)
								.split(',')
								.some((r) =>
									String(u.roleIds ?? '')
										.split(',')
										.includes(r.trim())
								)
					},
					ignore: ['permissionNamesMultiLikeOr', 'permissionNamesMultiLikeAnd']
				},
				ctx.warnings
			);
			const ordered = applyOrder(filtered, filter?.orderBy, '+createdAt');
			const { page, totalCount } = applyPager(ordered, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
			return listResponse('KalturaUserListResponse', clone(page), totalCount);
		}
	}
};
