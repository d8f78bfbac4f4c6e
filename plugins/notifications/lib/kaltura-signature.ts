import { createHash, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-kaltura-signature';
export const HASH_ALGO_HEADER = 'x-kaltura-hash-algo';

export type WebhookHash = 'sha1' | 'sha256' | 'sha512';

const DIGEST_BYTES: Record<WebhookHash, number> = { sha1: 20, sha256: 32, sha512: 64 };
const HEX = /^[\da-f]+$/i;

/**
 * Checks Kaltura's notification signature: lower-case hex of HASH(adminSecret + rawBody), plain concatenation (not an
 * HMAC; kaltura/server plugins/event_notification/providers/http/lib/KDispatchHttpNotificationEngine.class.php), with
 * HASH the one the operator pinned (`KALTURA_WEBHOOK_HASH`, which `npm run kaltura:webhooks` sets on the templates).
 * Kaltura names its hash in X-KALTURA-HASH-ALGO on every signed request; a request naming another one is refused
 * rather than checked with it, so a captured SHA-1 signature (the weakest, and Kaltura's default) cannot be used
 * against a bot pinned to SHA-256. Servers from before the header sent SHA-1 only, so no header passes only with a
 * SHA-1 pin. A repeated header, a malformed signature or a mismatch is false; the comparison is constant-time.
 */
export function verifyKalturaSignature(
	secret: string,
	rawBody: Buffer,
	signature: string | string[] | undefined,
	algoHeader: string | string[] | undefined,
	pinned: WebhookHash
): boolean {
	if (typeof signature !== 'string' || Array.isArray(algoHeader)) return false;
	const named = algoHeader === undefined ? 'sha1' : algoHeader.trim().toLowerCase();
	if (named !== pinned) return false;
	const hex = signature.trim();
	// Checked before decoding, since Buffer.from(…, 'hex') would silently stop at the first non-hex character;
	// compared as bytes, so upper-case hex is fine.
	if (hex.length !== DIGEST_BYTES[pinned] * 2 || !HEX.test(hex)) return false;
	const expected = createHash(pinned).update(secret, 'utf8').update(rawBody).digest();
	return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
}
