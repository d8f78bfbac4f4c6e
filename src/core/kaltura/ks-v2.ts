import { createCipheriv, createHash, randomBytes } from 'node:crypto';

export const KalturaSessionType = { User: 0, Admin: 2 } as const;
export type KalturaSessionType = (typeof KalturaSessionType)[keyof typeof KalturaSessionType];

export interface KsRequest {
	readonly partnerId: number;
	readonly adminSecret: string;
	readonly userId: string;
	readonly type: KalturaSessionType;
	readonly expirySeconds: number;
	/** Comma-separated `name` or `name:value` entries, as Kaltura privileges are written. */
	readonly privileges: string;
	/** Seconds since the epoch; the clock is injectable so expiry can be tested. */
	readonly now?: number;
}

/**
 * Builds a KS v2 locally, with no API call, the way Kaltura's server and official clients do:
 * privileges and `_e`/`_t`/`_u` form-encoded, prefixed with 16 random bytes and their SHA-1, encrypted
 * with AES-128-CBC (key: the first 16 bytes of SHA-1 of the admin secret, zero IV, zero padding),
 * then `base64url("v2|<partnerId>|" + ciphertext)` keeping the `=` padding.
 */
export function buildKsV2(request: KsRequest): string {
	const now = request.now ?? Math.floor(Date.now() / 1000);
	const fields = new URLSearchParams();
	for (const raw of request.privileges.split(',')) {
		const privilege = raw.trim();
		if (privilege === '') continue;
		if (privilege === '*') {
			fields.append('all', '*');
			continue;
		}
		const separator = privilege.indexOf(':');
		if (separator === -1) fields.append(privilege, '');
		else fields.append(privilege.slice(0, separator), privilege.slice(separator + 1));
	}
	fields.append('_e', String(now + request.expirySeconds));
	fields.append('_t', String(request.type));
	fields.append('_u', request.userId);

	const payload = Buffer.concat([randomBytes(16), Buffer.from(fields.toString(), 'utf8')]);
	const signed = Buffer.concat([createHash('sha1').update(payload).digest(), payload]);
	const padded = Buffer.concat([signed, Buffer.alloc((16 - (signed.length % 16)) % 16)]);

	const key = createHash('sha1').update(request.adminSecret).digest().subarray(0, 16);
	const cipher = createCipheriv('aes-128-cbc', key, Buffer.alloc(16));
	cipher.setAutoPadding(false);
	const encrypted = Buffer.concat([cipher.update(padded), cipher.final()]);

	const decoded = Buffer.concat([Buffer.from(`v2|${request.partnerId}|`, 'utf8'), encrypted]);
	return decoded.toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}
