import { ApiError } from '#sdk';

/**
 * Each sign-in costs a Discord call made with the bot's own credentials, and Discord restricts an IP that makes too
 * many invalid ones (10,000 401/403/429 in 10 minutes, discord-api-docs developers/topics/rate-limits.mdx "Invalid
 * Request Limit"): the whole bot would lose Discord. So sign-ins are bounded here, before Discord is asked: per
 * remote address, and in all. A member signs in once per session (15 minutes) and again on a reload.
 */
export const SIGN_IN_RATE = {
	perAddress: { perSecond: 2, burst: 10 },
	total: { perSecond: 10, burst: 20 }
} as const;
/** Addresses remembered at once; beyond it the oldest buckets (full again by then, or an attacker's) are forgotten. */
const MAX_ADDRESSES = 10_000;

interface Rate {
	readonly perSecond: number;
	readonly burst: number;
}

/** A token bucket: whether one more request fits now, and when the next one would. */
class Bucket {
	#tokens: number;
	#last: number;

	public constructor(
		private readonly rate: Rate,
		now: number
	) {
		this.#tokens = rate.burst;
		this.#last = now;
	}

	/** 0 when a request fits (and takes its token), otherwise the seconds until one would. */
	public take(now: number): number {
		this.#tokens = Math.min(this.rate.burst, this.#tokens + ((now - this.#last) / 1000) * this.rate.perSecond);
		this.#last = now;
		if (this.#tokens >= 1) {
			this.#tokens -= 1;
			return 0;
		}
		return Math.max(1, Math.ceil((1 - this.#tokens) / this.rate.perSecond));
	}
}

/** The sign-in route's limits: one bucket per remote address and one for every sign-in of this process. */
export class SignInLimiter {
	readonly #addresses = new Map<string, Bucket>();
	readonly #total: Bucket;

	public constructor(now = Date.now()) {
		this.#total = new Bucket(SIGN_IN_RATE.total, now);
	}

	/** Throws 429 `rate_limited` with Retry-After when `address` (the peer's own, never a forwarding header) is over its limit or all are. */
	public admit(address: string, now = Date.now()): void {
		let bucket = this.#addresses.get(address);
		if (bucket === undefined) {
			if (this.#addresses.size >= MAX_ADDRESSES) this.#addresses.delete(this.#addresses.keys().next().value ?? '');
			bucket = new Bucket(SIGN_IN_RATE.perAddress, now);
			this.#addresses.set(address, bucket);
		}
		const wait = bucket.take(now) || this.#total.take(now);
		if (wait > 0)
			throw new ApiError(429, 'rate_limited', 'Too many sign-ins; try again shortly.', { retryAfter: wait }, { 'retry-after': String(wait) });
	}
}
