import type { KalturaSessionType } from './ks-v2.js';
import { recordKalturaSession } from '../metrics/kaltura-metrics.js';

export interface SessionRequest {
	/** The Kaltura user the session acts as; empty for none. */
	readonly userId: string;
	readonly type: KalturaSessionType;
	/** Only what the call needs, e.g. `sview:*,list:*`. */
	readonly privileges: string;
}

/** A KS as its source handed it out. */
export interface MintedKs {
	readonly ks: string;
	/**
	 * When it expires (Unix seconds), when the source knows better than the lifetime asked for: an app
	 * token caps sessions at its own duration, and a cache that assumed the full lifetime would use the
	 * KS past its end once before noticing.
	 */
	readonly expiresAt?: number;
}

/** Where sessions come from: built locally, `session.start`, or an app token. */
export interface KsSource {
	mint(request: SessionRequest, expirySeconds: number): Promise<MintedKs>;
}

export interface SessionCacheOptions {
	/** Lifetime asked for each KS; short, so a leaked one is worth little. */
	readonly lifetimeSeconds?: number;
	/** A cached KS is replaced once it has less than this left, so no call goes out with one about to expire. */
	readonly renewBeforeSeconds?: number;
	readonly now?: () => number;
}

interface CachedSession {
	readonly ks: string;
	readonly expiresAt: number;
}

/**
 * Hands out a KS per (user, type, privileges), reusing it until shortly before it expires. Concurrent
 * requests for the same session share one mint.
 */
export class SessionCache {
	readonly #source: KsSource;
	readonly #lifetime: number;
	readonly #renewBefore: number;
	readonly #now: () => number;
	readonly #sessions = new Map<string, CachedSession>();
	readonly #pending = new Map<string, Promise<string>>();
	#hits = 0;
	#misses = 0;

	public constructor(source: KsSource, options: SessionCacheOptions = {}) {
		this.#source = source;
		this.#lifetime = options.lifetimeSeconds ?? 3600;
		this.#renewBefore = options.renewBeforeSeconds ?? Math.min(300, Math.floor(this.#lifetime / 4));
		this.#now = options.now ?? (() => Date.now() / 1000);
	}

	public async get(request: SessionRequest): Promise<string> {
		const key = keyOf(request);
		const cached = this.#sessions.get(key);
		if (cached !== undefined && cached.expiresAt - this.#now() > this.#renewBefore) {
			this.#hits++;
			recordKalturaSession('cached');
			return cached.ks;
		}
		const pending = this.#pending.get(key);
		if (pending !== undefined) return pending;

		this.#misses++;
		recordKalturaSession('minted');
		const minted = this.#source
			.mint(request, this.#lifetime)
			.then(({ ks, expiresAt }) => {
				this.#sessions.set(key, { ks, expiresAt: Math.min(expiresAt ?? Number.POSITIVE_INFINITY, this.#now() + this.#lifetime) });
				return ks;
			})
			.finally(() => this.#pending.delete(key));
		this.#pending.set(key, minted);
		return minted;
	}

	/** Forgets a session Kaltura refused, so the next call mints a new one. */
	public invalidate(request: SessionRequest): void {
		this.#sessions.delete(keyOf(request));
	}

	public stats(): { hits: number; misses: number } {
		return { hits: this.#hits, misses: this.#misses };
	}
}

function keyOf(request: SessionRequest): string {
	return `${request.type}\u0000${request.userId}\u0000${request.privileges}`;
}
