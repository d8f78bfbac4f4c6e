import { setTimeout as sleep } from 'node:timers/promises';
import type { LeaseStore } from './lease-store.js';
import { hostOf } from './process-identity.js';

/** How long a shard stays held by a process that stopped renewing (killed, frozen, cut off from Redis). */
export const SHARD_LEASE_MS = 10_000;

/** A shard run by another live process: two processes holding one shard would both answer its guilds' interactions. */
export class ShardHeldError extends Error {
	public constructor(
		public readonly shardId: number,
		public readonly shardCount: number,
		holder: string
	) {
		super(
			`shard ${shardId} of ${shardCount} is run by another process (on host ${hostOf(holder)}), which kept it for longer than a lease (${SHARD_LEASE_MS / 1000} s)`
		);
		this.name = 'ShardHeldError';
	}
}

export interface ShardLeaseOptions {
	readonly leases: LeaseStore;
	readonly keyPrefix: string;
	/** This process, as the lease records it. */
	readonly holder: string;
	readonly count: number;
	readonly ids: readonly number[];
	/** Called once when a shard is lost after start (its lease renewed by nobody for too long, or taken by another). */
	readonly onLost: (error: Error) => void;
	readonly ttlMs?: number;
	readonly now?: () => number;
}

/**
 * The shards this process runs, each held under a lease renewed a few times per lease. Taking them waits out a lease
 * left by a process that died without giving it back (a SIGKILL, a crashed machine), then refuses: the process yields
 * for one lease, never runs a shard another live process runs.
 */
export class ShardLeases {
	readonly #options: ShardLeaseOptions;
	readonly #ttlMs: number;
	readonly #now: () => number;
	readonly #held = new Set<number>();
	#renewal: NodeJS.Timeout | undefined;
	#lastConfirmed = 0;
	#renewing = false;
	#lostWith: Error | undefined;

	public constructor(options: ShardLeaseOptions) {
		this.#options = options;
		this.#ttlMs = options.ttlMs ?? SHARD_LEASE_MS;
		this.#now = options.now ?? Date.now;
	}

	public keyOf(id: number): string {
		return `${this.#options.keyPrefix}shard:${this.#options.count}:${id}`;
	}

	/**
	 * Takes every shard, waiting at most a lease and a little for each; on refusal gives back what it took. The shards
	 * already taken are renewed while it waits for the next, so a long wait never lets them lapse.
	 */
	public async acquire(): Promise<void> {
		const { leases, holder, count, ids } = this.#options;
		const deadline = this.#now() + this.#ttlMs + 2_000;
		this.#lastConfirmed = this.#now();
		this.#renewal = setInterval(() => void this.#renew(), Math.floor(this.#ttlMs / 3)).unref();
		try {
			for (const id of ids) {
				while (!(await leases.take(this.keyOf(id), holder, this.#ttlMs))) {
					if (this.#lostWith !== undefined) throw this.#lostWith;
					const taken = await leases.holder(this.keyOf(id));
					if (this.#now() >= deadline && taken !== undefined) throw new ShardHeldError(id, count, taken.holder);
					await sleep(Math.min(500, Math.max(50, taken?.remainingMs ?? 0)));
				}
				this.#held.add(id);
			}
			if (this.#lostWith !== undefined) throw this.#lostWith;
		} catch (error) {
			await this.release();
			throw error;
		}
	}

	/** The shards held now. */
	public held(): readonly number[] {
		return [...this.#held];
	}

	/** Stops renewing and gives every shard back, so a successor starts at once instead of after a lease. */
	public async release(): Promise<void> {
		if (this.#renewal !== undefined) clearInterval(this.#renewal);
		this.#renewal = undefined;
		const { leases, holder } = this.#options;
		await Promise.allSettled([...this.#held].map((id) => leases.release(this.keyOf(id), holder)));
		this.#held.clear();
	}

	/**
	 * Renews every shard held, each renewal bounded by a third of a lease (a connection that silently died never answers).
	 * A shard taken by another is lost at once; shards not confirmed for two thirds of a lease are given up before the
	 * lease can run out and another process take them.
	 */
	async #renew(): Promise<void> {
		if (this.#renewing) return this.#checkConfirmed();
		this.#renewing = true;
		const { leases, holder, count } = this.#options;
		try {
			for (const id of this.#held) {
				const renewed = await withTimeout(leases.renew(this.keyOf(id), holder, this.#ttlMs), Math.floor(this.#ttlMs / 3));
				if (!renewed) {
					return this.#lose(
						new Error(`Shard ${id} of ${count} is no longer held by this process: its lease expired and another may run it.`)
					);
				}
			}
			this.#lastConfirmed = this.#now();
		} catch {
			// Redis did not answer in time: the watchdog below gives the shards up before their leases can lapse.
		} finally {
			this.#renewing = false;
		}
		this.#checkConfirmed();
	}

	#checkConfirmed(): void {
		const unconfirmedMs = this.#now() - this.#lastConfirmed;
		if (unconfirmedMs >= (this.#ttlMs * 2) / 3)
			this.#lose(
				new Error(
					`The shard leases could not be renewed for ${Math.round(unconfirmedMs / 1000)} s; another process may soon run these shards.`
				)
			);
	}

	#lose(error: Error): void {
		if (this.#lostWith !== undefined) return;
		this.#lostWith = error;
		if (this.#renewal !== undefined) clearInterval(this.#renewal);
		this.#renewal = undefined;
		this.#options.onLost(error);
	}
}

/** `promise`, or a rejection once `ms` passed without it settling. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
			})
		]);
	} finally {
		clearTimeout(timer);
	}
}
