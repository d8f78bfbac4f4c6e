/**
 * Kaltura Session (KS) strings, v2 (current) and v1 (legacy), built and parsed the way the server does
 * (kaltura/server alpha/apps/kaltura/lib/request/kSessionBase.class.php `generateKsV2` / `parseKsV2`,
 * `parseKsV1`; the privilege names are its PRIVILEGE_* constants).
 *
 * v2: "v2|{pid}|" + AES-128-CBC( key = SHA1(adminSecret)[0..16], iv = 0, zero padding )
 *     over SHA1(plain) + plain, plain = 16 random bytes + http_build_query(fields);
 *     base64 with '+'→'-' and '/'→'_' (padding kept).
 * v1: base64( sha1hex(adminSecret + info) + "|" + info ),
 *     info = "pid;pid;expiry;type;rand;userId;privileges;masterPartnerId;additionalData".
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from 'node:crypto';
import { httpBuildQuery, parseStr } from './php.js';

export const KS_TYPE_USER = 0;
export const KS_TYPE_ADMIN = 2;

/** Privileges the API server itself interprets (kSessionBase PRIVILEGE_*). Others are application-level. */
export const SERVER_PRIVILEGES: ReadonlySet<string> = new Set([
	'edit',
	'sview',
	'list',
	'download',
	'downloadasset',
	'editplaylist',
	'sviewplaylist',
	'edituser',
	'editadmintags',
	'actionslimit',
	'setrole',
	'restrictingrole',
	'limitentry',
	'iprestrict',
	'urirestrict',
	'enableentitlement',
	'disableentitlement',
	'disableentitlementforentry',
	'disableentitlementforplaylist',
	'privacycontext',
	'enablecategorymoderation',
	'enablecaptionmoderation',
	'sessionid',
	'sessionkey',
	'apptoken',
	'reftime',
	'preview',
	'jobtype',
	'enablechangeaccount',
	'restrictexplicitliveview',
	'virtualeventid',
	'searchcontext',
	'disablesessiontypecheck',
	'all',
	'view',
	'widget'
]);

export interface ParsedKs {
	/** the KS string as given */
	raw: string;
	version: 1 | 2;
	partnerId: number;
	userId: string;
	/** 0 = USER, 2 = ADMIN */
	type: number;
	/** absolute unix seconds (`_e`) */
	expiry: number;
	/** privilege name → value ('' for a bare privilege; `*` is stored as `all` → `*`) */
	privileges: Record<string, string>;
	/** the privileges as a comma-separated string, as session.get reports it */
	privilegesString: string;
	masterPartnerId?: number;
	additionalData?: string;
}

export type KsInvalidReason = 'INVALID_STR' | 'EXPIRED';

export class KsParseError extends Error {
	readonly reason: KsInvalidReason;
	constructor(reason: KsInvalidReason, detail: string) {
		super(`${reason}: ${detail}`);
		this.name = 'KsParseError';
		this.reason = reason;
	}
}

export interface BuildKsOptions {
	partnerId: number;
	adminSecret: string;
	userId?: string;
	/** 0 USER (default) or 2 ADMIN */
	type?: number;
	/** seconds from now (default 86400); may be negative to mint an already-expired KS */
	expiry?: number;
	/** absolute unix seconds; wins over `expiry` */
	expiresAt?: number;
	/** "a:b,c,*" or an ordered map */
	privileges?: string | Record<string, string>;
	masterPartnerId?: number;
	additionalData?: string;
	/** clock override (unix seconds) */
	now?: number;
	/** 16 bytes of "random" (for deterministic tests) */
	random?: Buffer;
}

/** Split a privileges string into an ordered map, as generateKsV2 does (`*` → all:*, bare → ''). */
export function privilegesToMap(privileges: string | Record<string, string> | undefined | null): Map<string, string> {
	const out = new Map<string, string>();
	if (!privileges) return out;
	if (typeof privileges !== 'string') {
		for (const [k, v] of Object.entries(privileges)) out.set(k, v);
		return out;
	}
	for (const part of privileges.split(',')) {
		let p = part.trim();
		if (p === '' || p === '0') continue; // PHP `if (!$privilege) continue;` — "0" is falsy too
		if (p === '*') p = 'all:*';
		const idx = p.indexOf(':');
		if (idx === -1) out.set(p, '');
		else out.set(p.slice(0, idx), p.slice(idx + 1));
	}
	return out;
}

/** Inverse of privilegesToMap (all:* is shown as *). */
export function privilegesToString(map: Map<string, string> | Record<string, string>): string {
	const entries = map instanceof Map ? [...map.entries()] : Object.entries(map);
	return entries.map(([k, v]) => (k === 'all' && v === '*' ? '*' : v === '' ? k : `${k}:${v}`)).join(',');
}

function aesKey(adminSecret: string): Buffer {
	return createHash('sha1').update(adminSecret, 'utf8').digest().subarray(0, 16);
}

function sha1(buf: Buffer): Buffer {
	return createHash('sha1').update(buf).digest();
}

function toUrlSafeB64(buf: Buffer): string {
	return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

function fromUrlSafeB64(s: string): Buffer {
	return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Mint a KS v2 string exactly as kSessionBase::generateKsV2 does. */
export function buildKs(opts: BuildKsOptions): string {
	const now = opts.now ?? Math.floor(Date.now() / 1000);
	const fields = privilegesToMap(opts.privileges);
	const expiresAt = opts.expiresAt ?? now + (opts.expiry ?? 86400);
	fields.set('_e', String(expiresAt));
	fields.set('_t', String(opts.type ?? KS_TYPE_USER));
	fields.set('_u', opts.userId ?? '');
	if (opts.masterPartnerId !== undefined) fields.set('_m', String(opts.masterPartnerId));
	if (opts.additionalData !== undefined) fields.set('_d', opts.additionalData);
	const fieldsStr = httpBuildQuery(fields.entries());
	const random = opts.random ?? randomBytes(16);
	if (random.length !== 16) throw new Error('random must be 16 bytes');
	let plain = Buffer.concat([random, Buffer.from(fieldsStr, 'utf8')]);
	plain = Buffer.concat([sha1(plain), plain]);
	const padLen = (16 - (plain.length % 16)) % 16;
	if (padLen) plain = Buffer.concat([plain, Buffer.alloc(padLen, 0)]);
	const cipher = createCipheriv('aes-128-cbc', aesKey(opts.adminSecret), Buffer.alloc(16, 0));
	cipher.setAutoPadding(false);
	const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
	return toUrlSafeB64(Buffer.concat([Buffer.from(`v2|${opts.partnerId}|`, 'utf8'), encrypted]));
}

/** Mint a legacy KS v1 (for tests of the server's v1 acceptance). */
export function buildKsV1(opts: BuildKsOptions): string {
	const now = opts.now ?? Math.floor(Date.now() / 1000);
	const expiresAt = opts.expiresAt ?? now + (opts.expiry ?? 86400);
	const privileges =
		typeof opts.privileges === 'string' || opts.privileges === undefined ? (opts.privileges ?? '') : privilegesToString(opts.privileges);
	const info = [
		opts.partnerId,
		opts.partnerId,
		expiresAt,
		opts.type ?? KS_TYPE_USER,
		randomInt(0, 32000),
		opts.userId ?? '',
		privileges,
		opts.masterPartnerId ?? '',
		opts.additionalData ?? ''
	].join(';');
	const sig = createHash('sha1')
		.update(opts.adminSecret + info, 'utf8')
		.digest('hex');
	return Buffer.from(`${sig}|${info}`, 'utf8').toString('base64');
}

/** The partner id a KS claims (before any signature check), or undefined when unreadable. */
export function peekKsPartnerId(ks: string): number | undefined {
	try {
		const buf = fromUrlSafeB64(ks);
		const head = buf.subarray(0, Math.min(buf.length, 64)).toString('latin1');
		if (head.startsWith('v2|')) {
			const end = head.indexOf('|', 3);
			if (end === -1) return undefined;
			const pid = Number(head.slice(3, end));
			return Number.isInteger(pid) ? pid : undefined;
		}
		const text = Buffer.from(ks, 'base64').toString('utf8');
		const bar = text.indexOf('|');
		if (bar === -1) return undefined;
		const pid = Number(text.slice(bar + 1).split(';')[0]);
		return Number.isInteger(pid) ? pid : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Decode and verify a KS with the partner's admin secret. Throws KsParseError('INVALID_STR') when it
 * cannot be decoded or the signature does not match. Does NOT check expiry (see isKsExpired / verifyKs).
 */
export function parseKs(ks: string, adminSecret: string): ParsedKs {
	if (typeof ks !== 'string' || ks === '') throw new KsParseError('INVALID_STR', 'empty KS');
	const buf = fromUrlSafeB64(ks);
	if (buf.subarray(0, 3).toString('latin1') === 'v2|') return parseV2(ks, buf, adminSecret);
	return parseV1(ks, adminSecret);
}

function parseV2(raw: string, buf: Buffer, adminSecret: string): ParsedKs {
	const second = buf.indexOf(0x7c /* | */, 3);
	if (second === -1) throw new KsParseError('INVALID_STR', 'no partner separator');
	const partnerId = Number(buf.subarray(3, second).toString('latin1'));
	if (!Number.isInteger(partnerId)) throw new KsParseError('INVALID_STR', 'bad partner id');
	const encrypted = buf.subarray(second + 1);
	if (encrypted.length === 0 || encrypted.length % 16 !== 0) throw new KsParseError('INVALID_STR', 'bad cipher length');
	const decipher = createDecipheriv('aes-128-cbc', aesKey(adminSecret), Buffer.alloc(16, 0));
	decipher.setAutoPadding(false);
	let plain = Buffer.concat([decipher.update(encrypted), decipher.final()]);
	let end = plain.length;
	while (end > 0 && plain[end - 1] === 0) end--; // rtrim "\0"
	plain = plain.subarray(0, end);
	if (plain.length < 36) throw new KsParseError('INVALID_STR', 'too short');
	const hash = plain.subarray(0, 20);
	const rest = plain.subarray(20);
	if (!sha1(rest).equals(hash)) throw new KsParseError('INVALID_STR', 'signature mismatch');
	const fields = parseStr(rest.subarray(16).toString('utf8'));
	const privileges = new Map<string, string>();
	let expiry = 0;
	let type = 0;
	let userId = '';
	let masterPartnerId: number | undefined;
	let additionalData: string | undefined;
	for (const [k, v] of fields) {
		switch (k) {
			case '_e':
				expiry = Number(v);
				break;
			case '_t':
				type = Number(v);
				break;
			case '_u':
				userId = v;
				break;
			case '_m':
				masterPartnerId = Number(v);
				break;
			case '_d':
				additionalData = v;
				break;
			default:
				privileges.set(k, v);
		}
	}
	const parsed: ParsedKs = {
		raw,
		version: 2,
		partnerId,
		userId,
		type,
		expiry,
		privileges: Object.fromEntries(privileges),
		privilegesString: privilegesToString(privileges)
	};
	if (masterPartnerId !== undefined) parsed.masterPartnerId = masterPartnerId;
	if (additionalData !== undefined) parsed.additionalData = additionalData;
	return parsed;
}

function parseV1(raw: string, adminSecret: string): ParsedKs {
	const text = Buffer.from(raw, 'base64').toString('utf8');
	const bar = text.indexOf('|');
	if (bar === -1) throw new KsParseError('INVALID_STR', 'not a KS');
	const sig = text.slice(0, bar);
	const info = text.slice(bar + 1);
	const expected = createHash('sha1')
		.update(adminSecret + info, 'utf8')
		.digest('hex');
	if (sig !== expected) throw new KsParseError('INVALID_STR', 'signature mismatch');
	const parts = info.split(';');
	if (parts.length < 6) throw new KsParseError('INVALID_STR', 'too few fields');
	const privileges = privilegesToMap(parts[6] ?? '');
	const parsed: ParsedKs = {
		raw,
		version: 1,
		partnerId: Number(parts[0]),
		expiry: Number(parts[2]),
		type: Number(parts[3]),
		userId: parts[5] ?? '',
		privileges: Object.fromEntries(privileges),
		privilegesString: privilegesToString(privileges)
	};
	if (parts[7]) parsed.masterPartnerId = Number(parts[7]);
	if (parts[8]) parsed.additionalData = parts[8];
	return parsed;
}

export function isKsExpired(ks: ParsedKs, now: number = Math.floor(Date.now() / 1000)): boolean {
	return !(ks.expiry > now);
}

/** parseKs + expiry check (throws KsParseError('EXPIRED')). */
export function verifyKs(ks: string, adminSecret: string, now?: number): ParsedKs {
	const parsed = parseKs(ks, adminSecret);
	if (isKsExpired(parsed, now)) throw new KsParseError('EXPIRED', `expired at ${parsed.expiry}`);
	return parsed;
}
