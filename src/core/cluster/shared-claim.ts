import { setTimeout as sleep } from 'node:timers/promises';
import type { LeaseStore } from './lease-store.js';

/** How long a claim outlives the last process renewing it. */
export const SHARED_CLAIM_MS = 30_000;

export interface SharedClaimOptions {
	readonly leases: LeaseStore;
	readonly key: string;
	/** What this process claims; processes claiming the same value share the claim. */
	readonly value: string;
	/** The refusal when another value holds the claim. */
	readonly conflict: (otherValue: string) => Error;
	/** Called once if another value takes the claim after start (this process's renewals lapsed). */
	readonly onConflict: (error: Error) => void;
	readonly ttlMs?: number;
}

/**
 * A claim every process of the bot renews with the same value: the SQLite data's host, the shard count. A process with
 * another value finds it taken and does not start, unless the claim lapses within `waitMs` (the processes that held it
 * have all stopped).
 */
export class SharedClaim {
	readonly #options: SharedClaimOptions;
	readonly #ttlMs: number;
	#timer: NodeJS.Timeout | undefined;

	public constructor(options: SharedClaimOptions) {
		this.#options = options;
		this.#ttlMs = options.ttlMs ?? SHARED_CLAIM_MS;
	}

	/** Takes or joins the claim, waiting at most `waitMs` for a claim of another value to lapse; then keeps it alive. */
	public async claim(waitMs = 0): Promise<void> {
		const deadline = Date.now() + waitMs;
		for (;;) {
			const other = await this.#claimOnce();
			if (other === undefined) break;
			if (Date.now() >= deadline) throw this.#options.conflict(other.holder);
			await sleep(Math.min(1_000, Math.max(50, other.remainingMs)));
		}
		this.#timer = setInterval(() => void this.#renew().catch(() => undefined), this.#ttlMs / 3).unref();
	}

	public stop(): void {
		if (this.#timer !== undefined) clearInterval(this.#timer);
		this.#timer = undefined;
	}

	/** Undefined once this value holds the claim; else who holds it and for how long. */
	async #claimOnce(): Promise<{ holder: string; remainingMs: number } | undefined> {
		const { leases, key, value } = this.#options;
		if (await leases.renew(key, value, this.#ttlMs)) return undefined;
		if (await leases.take(key, value, this.#ttlMs)) return undefined;
		const other = await leases.holder(key);
		return other === undefined || other.holder === value ? undefined : other;
	}

	async #renew(): Promise<void> {
		const other = await this.#claimOnce();
		if (other === undefined) return;
		this.stop();
		this.#options.onConflict(this.#options.conflict(other.holder));
	}
}
