/** appToken: add, get, list, update, delete, startSession. */
import { createHash, randomBytes } from 'node:crypto';
import { apiError } from '../errors.js';
import { applyFilter, applyOrder, applyPager } from '../filters.js';
import { buildKs, privilegesToMap, privilegesToString, SERVER_PRIVILEGES } from '../ks.js';
import { applyWritable, int, obj, reqObj, reqStr, str, type Obj, type Params } from '../params.js';
import { clone, listResponse } from '../serialize.js';
import { coerceNumeric } from '../state.js';
import type { CallContext, ServiceDef } from './types.js';

const HASH_ALGOS: Record<string, string> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };
const READONLY = ['id', 'partnerId', 'createdAt', 'updatedAt', 'status'];

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
    },
  },
  get: {
    access: 'admin',
    handler(p: Params, ctx: CallContext) {
      return clone(getToken(ctx, reqStr(p, 'id')));
    },
  },
  update: {
    access: 'admin',
    handler(p: Params, ctx: CallContext) {
      const t = getToken(ctx, reqStr(p, 'id'));
      applyWritable(t, reqObj(p, 'appToken'), [...READONLY, 'token']);
      coerceNumeric(t, ['sessionType', 'sessionDuration', 'expiry']);
      t.updatedAt = ctx.state.now();
      return clone(t);
    },
  },
  delete: {
    access: 'admin',
    handler(p: Params, ctx: CallContext) {
      const t = getToken(ctx, reqStr(p, 'id'));
      t.status = 3;
      t.updatedAt = ctx.state.now();
      return null;
    },
  },
  list: {
    access: 'admin',
    handler(p: Params, ctx: CallContext) {
      const all = [...ctx.state.appTokens.values()].filter((t) => t.partnerId === ctx.partnerId && t.status !== 3);
      const filtered = applyFilter(all, obj(p, 'filter'), {}, ctx.warnings);
      const ordered = applyOrder(filtered, obj(p, 'filter')?.orderBy, '+createdAt');
      const { page, totalCount } = applyPager(ordered, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
      return listResponse('KalturaAppTokenListResponse', clone(page), totalCount);
    },
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
      const expected = createHash(algo).update((ctx.ks?.raw ?? '') + String(t.token), 'utf8').digest('hex');
      if (expected !== tokenHash.toLowerCase()) throw apiError('INVALID_APP_TOKEN_HASH');

      const partner = ctx.state.partner(ctx.partnerId);
      if (!partner) throw apiError('INVALID_PARTNER_ID', ctx.partnerId);
      const type = typeof t.sessionType === 'number' ? t.sessionType : (int(p, 'type') ?? 0);
      const userId = typeof t.sessionUserId === 'string' && t.sessionUserId !== '' ? t.sessionUserId : (str(p, 'userId') ?? '');
      const tokenDuration = typeof t.sessionDuration === 'number' && t.sessionDuration > 0 ? t.sessionDuration : 86400;
      let expiry = Math.min(int(p, 'expiry') ?? tokenDuration, tokenDuration);
      if (typeof t.expiry === 'number' && t.expiry > 0) expiry = Math.min(expiry, t.expiry - now);

      // privileges: token's, then caller's (server-reserved names only when the token grants name:*),
      // then sessionid/apptoken
      const tokenPrivs = privilegesToMap(String(t.sessionPrivileges ?? ''));
      const privs = new Map(tokenPrivs);
      for (const [k, v] of privilegesToMap(str(p, 'sessionPrivileges') ?? '')) {
        if (!SERVER_PRIVILEGES.has(k) || tokenPrivs.get(k) === '*') privs.set(k, v);
      }
      privs.set('sessionid', id);
      privs.set('apptoken', id);
      const ks = buildKs({
        partnerId: ctx.partnerId, adminSecret: partner.adminSecret, userId, type, expiry,
        privileges: Object.fromEntries(privs), now,
      });
      return {
        ks, sessionType: type, partnerId: ctx.partnerId, userId, expiry: now + expiry,
        privileges: privilegesToString(privs), objectType: 'KalturaSessionInfo',
      };
    },
  },
};
