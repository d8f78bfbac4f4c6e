import { isIPv6 } from 'node:net';

export interface SignatureThrottleOptions {
	/** Failures an address may make in a burst before it is told to wait. */
	readonly burst?: number;
	/** One more failure is allowed this often. */
	readonly refillMs?: number;
	/** Addresses remembered at most; the least recently seen is forgotten first. */
	readonly maxAddresses?: number;
}

interface Bucket {
	tokens: number;
	updatedAt: number;
}

/**
 * Slows down an address that keeps sending notifications with bad signatures: a token bucket per address (a burst of
 * failures, then one more every `refillMs`); once it is empty, a failure is answered 429 with Retry-After instead of
 * 401. A bucket rather than a fixed window, so an address that fails steadily stays limited without a reset to
 * exploit; the buckets live in a Map bounded to `maxAddresses` (least recently used forgotten first), so memory stays
 * fixed however many addresses try.
 *
 * Only failures are counted, and a request is checked against its signature before its address's bucket is looked
 * at: a genuine notification from Kaltura is accepted whatever others sent from the same address (a proxy in front of
 * the bot, or a NAT shared with an attacker). Forgetting an address early only ever lets someone fail more, never
 * blocks a signed notification.
 */
export class SignatureThrottle {
	readonly #burst: number;
	readonly #refillMs: number;
	readonly #maxAddresses: number;
	readonly #buckets = new Map<string, Bucket>();

	public constructor(options: SignatureThrottleOptions = {}) {
		this.#burst = options.burst ?? 20;
		this.#refillMs = options.refillMs ?? 3_000;
		this.#maxAddresses = options.maxAddresses ?? 10_000;
	}

	/** Records a bad signature from `address`: 0 while within its allowance, else the seconds it should wait. */
	public fail(address: string | undefined, now = Date.now()): number {
		const key = addressKey(address);
		let bucket = this.#buckets.get(key);
		if (bucket === undefined) {
			// Maps iterate in insertion order: the first key is the address heard from longest ago.
			const oldest = this.#buckets.size >= this.#maxAddresses ? this.#buckets.keys().next() : undefined;
			if (oldest !== undefined && oldest.done !== true) this.#buckets.delete(oldest.value);
			bucket = { tokens: this.#burst, updatedAt: now };
		} else {
			// Re-inserted, so the Map's order is least recently seen first.
			this.#buckets.delete(key);
			bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.updatedAt) / this.#refillMs);
			bucket.updatedAt = now;
		}
		this.#buckets.set(key, bucket);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return 0;
		}
		return Math.max(1, Math.ceil(((1 - bucket.tokens) * this.#refillMs) / 1000));
	}

	/** Addresses remembered now (tests, diagnostics). */
	public get size(): number {
		return this.#buckets.size;
	}
}

/**
 * The socket's address, never a forwarded-for header (anyone can write one, and a fresh value each time would escape
 * the limit). IPv4-mapped IPv6 reads as IPv4; other IPv6 addresses count by their /64, which one host usually holds.
 */
export function addressKey(address: string | undefined): string {
	if (address === undefined) return 'unknown';
	if (address.startsWith('::ffff:') && !isIPv6(address.slice(7))) return address.slice(7);
	if (!isIPv6(address)) return address;
	const [head = '', tail = ''] = address.split('::');
	const left = head === '' ? [] : head.split(':');
	const right = tail === '' ? [] : tail.split(':');
	const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
	return `${groups
		.slice(0, 4)
		.map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}
