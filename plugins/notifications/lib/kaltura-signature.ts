import { createHash, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-kaltura-signature';
export const HASH_ALGO_HEADER = 'x-kaltura-hash-algo';

const ALGORITHMS = new Set(['sha1', 'sha256', 'sha512']);
const HEX = /^[\da-f]+$/i;

/**
 * Checks Kaltura's notification signature: lower-case hex of HASH(adminSecret + rawBody), plain
 * concatenation (not an HMAC), with HASH named by X-KALTURA-HASH-ALGO (SHA-1 when the header is absent,
 * as older servers send). Any other algorithm, a missing header, or a mismatch is false. The comparison
 * is constant-time over equal-length buffers.
 */
export function verifyKalturaSignature(
	secret: string,
	rawBody: Buffer,
	signature: string | string[] | undefined,
	algoHeader: string | string[] | undefined
): boolean {
	if (typeof signature !== 'string' || Array.isArray(algoHeader)) return false;
	const algo = algoHeader === undefined ? 'sha1' : algoHeader.trim().toLowerCase();
	if (!ALGORITHMS.has(algo)) return false;
	const expected = createHash(algo).update(secret, 'utf8').update(rawBody).digest();
	const hex = signature.trim();
	// Compared as bytes, so upper-case hex is fine; anything but exactly the digest's hex is refused before decoding,
	// since Buffer.from(…, 'hex') would silently stop at the first non-hex character.
	if (hex.length !== expected.length * 2 || !HEX.test(hex)) return false;
	return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}
