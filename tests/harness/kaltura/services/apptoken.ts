/**
 * appToken: add, get, list, update, delete, startSession, after kaltura/server api_v3/services/AppTokenService.php.
 * add/get/list/update/delete need the partner's APP_TOKEN_* admin permissions; startSession is open to any USER or
 * widget session (deployment/permissions/service.appToken.ini), the bot's being the widget KS its hash is made with.
 */
import { createHash, randomBytes } from 'node:crypto';
import { apiError } from '../errors.js';
import { applyFilter, applyOrder, applyPager } from '../filters.js';
import { buildKs, SERVER_PRIVILEGES } from '../ks.js';
import { applyWritable, int, obj, reqObj, reqStr, str, type Obj, type Params } from '../params.js';
import { clone, listResponse } from '../serialize.js';
import { coerceNumeric } from '../state.js';
import type { CallContext, ServiceDef } from './types.js';

const HASH_ALGOS: Record<string, string> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };
const READONLY = ['id', 'partnerId', 'createdAt', 'updatedAt', 'status'];

/**
 * A privileges string as name -> values, the way ks::parsePrivileges reads it (kaltura/server
 * alpha/apps/kaltura/lib/request/kSessionBase.class.php): `,` between privileges, the first `:` before
 * the value, `/` between several values; a repeated name adds its values.
 */
function parsePrivileges(privileges: string): Map<string, string[]> {
	const out = new Map<string, string[]>();
	for (const privilege of privileges.split(',')) {
		const at = privilege.indexOf(':');
		const name = at === -1 ? privilege : privilege.slice(0, at);
		const value = at === -1 ? '' : privilege.slice(at + 1);
		out.set(name, [...(out.get(name) ?? []), ...(value === '' ? [] : value.split('/'))]);
	}
	return out;
}

/** ks::buildPrivileges: `name:v1/v2`, or the bare name when it has no value. */
function buildPrivileges(privileges: Map<string, string[]>): string {
	return [...privileges].map(([name, values]) => (values.length > 0 ? `${name}:${values.join('/')}` : name)).join(',');
}

function getToken(ctx: CallContext, id: string): Obj {
	const t = ctx.state.appTokens.get(id);
	if (!t || t.partnerId !== ctx.partnerId || t.status === 3) throw apiError('APP_TOKEN_ID_NOT_FOUND', id);
	return t;
}

export const appTokenService: ServiceDef = {
	add: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const input = reqObj(p, 'appToken');
			const hashType = (input.hashType as string | undefined) ?? 'SHA1';
			if (!(hashType in HASH_ALGOS)) throw apiError('INVALID_ENUM_VALUE', hashType, 'hashType', 'KalturaAppTokenHashType');
			const t: Obj = {};
			applyWritable(t, input, READONLY);
			if (!t.token) t.token = randomBytes(16).toString('hex');
			return clone(ctx.state.addAppToken({ ...t, hashType }, ctx.partnerId));
		}
	},
	get: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			return clone(getToken(ctx, reqStr(p, 'id')));
		}
	},
	update: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const t = getToken(ctx, reqStr(p, 'id'));
			applyWritable(t, reqObj(p, 'appToken'), [...READONLY, 'token']);
			coerceNumeric(t, ['sessionType', 'sessionDuration', 'expiry']);
			t.updatedAt = ctx.state.now();
			return clone(t);
		}
	},
	delete: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const t = getToken(ctx, reqStr(p, 'id'));
			t.status = 3;
			t.updatedAt = ctx.state.now();
			// every session the token opened carries sessionid:<token id>: deleting the token ends them all
			// (AppTokenService::deleteAction invalidates that session id until the token's expiry)
			ctx.state.endSessionId(ctx.partnerId, String(t.id), typeof t.expiry === 'number' && t.expiry > 0 ? t.expiry : Number.POSITIVE_INFINITY);
			return null;
		}
	},
	list: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			const all = [...ctx.state.appTokens.values()].filter((t) => t.partnerId === ctx.partnerId && t.status !== 3);
			const filtered = applyFilter(all, obj(p, 'filter'), {}, ctx.warnings);
			const ordered = applyOrder(filtered, obj(p, 'filter')?.orderBy, '+createdAt');
			const { page, totalCount } = applyPager(ordered, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
			return listResponse('KalturaAppTokenListResponse', clone(page), totalCount);
		}
	},
	startsession: {
		access: 'anyKs',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			const id = reqStr(p, 'id');
			const tokenHash = reqStr(p, 'tokenHash');
			const t = getToken(ctx, id);
			if (t.status !== 2) throw apiError('APP_TOKEN_NOT_ACTIVE', id);
			const now = ctx.state.now();
			if (typeof t.expiry === 'number' && t.expiry > 0 && t.expiry <= now) throw apiError('APP_TOKEN_EXPIRED', id);
			const algo = HASH_ALGOS[String(t.hashType ?? 'SHA1')] ?? 'sha1';
			// the hash covers the KS sent with THIS call (kCurrentContext::$ks) + the token
			const expected = createHash(algo)
				.update((ctx.ks?.raw ?? '') + String(t.token), 'utf8')
				.digest('hex');
			if (expected !== tokenHash.toLowerCase()) throw apiError('INVALID_APP_TOKEN_HASH');

			const partner = ctx.state.partner(ctx.partnerId);
			if (!partner) throw apiError('INVALID_PARTNER_ID', ctx.partnerId);
			const type = typeof t.sessionType === 'number' ? t.sessionType : (int(p, 'type') ?? 0);
			const userId = typeof t.sessionUserId === 'string' && t.sessionUserId !== '' ? t.sessionUserId : (str(p, 'userId') ?? '');
			const tokenDuration = typeof t.sessionDuration === 'number' && t.sessionDuration > 0 ? t.sessionDuration : 86400;
			let expiry = Math.min(int(p, 'expiry') ?? tokenDuration, tokenDuration);
			if (typeof t.expiry === 'number' && t.expiry > 0) expiry = Math.min(expiry, t.expiry - now);

			// privileges (AppTokenService::startSessionAction): sessionid:<id> and apptoken:<id>, then the token's
			// own merged in; a caller's privilege is kept only when its name is neither a server privilege nor one
			// already set, unless what is set includes `*` -- then the caller's value replaces it
			// (kSessionUtils.class.php ks::retrieveAllowedAppSessionPrivileges). So a token granting `sessionid:*`
			// lets the caller give a session an id of its own; otherwise every session shares sessionid:<token id>.
			const privs = new Map<string, string[]>([
				['sessionid', [id]],
				['apptoken', [id]]
			]);
			const tokenPrivileges = String(t.sessionPrivileges ?? '');
			if (tokenPrivileges !== '') {
				for (const [name, values] of parsePrivileges(tokenPrivileges)) privs.set(name, [...(privs.get(name) ?? []), ...values]);
			}
			const asked = str(p, 'sessionPrivileges') ?? '';
			if (asked !== '') {
				for (const [name, values] of parsePrivileges(asked)) {
					const set = privs.get(name);
					if ((!SERVER_PRIVILEGES.has(name) && set === undefined) || set?.includes('*')) privs.set(name, values);
				}
			}
			const privileges = buildPrivileges(privs);
			const ks = buildKs({ partnerId: ctx.partnerId, adminSecret: partner.adminSecret, userId, type, expiry, privileges, now });
			return {
				ks,
				sessionType: type,
				partnerId: ctx.partnerId,
				userId,
				expiry: now + expiry,
				privileges,
				objectType: 'KalturaSessionInfo'
			};
		}
	}
};
