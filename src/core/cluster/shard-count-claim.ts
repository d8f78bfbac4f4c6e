import type { LeaseStore } from './lease-store.js';
import { SHARED_CLAIM_MS, SharedClaim } from './shared-claim.js';

/** Processes of one bot with different shard counts: each count sends every guild to a shard of its own, so both answer it. */
export class ShardCountMismatchError extends Error {
	public constructor(count: number, otherCount: string) {
		super(
			`processes of this bot with SHARD_COUNT ${otherCount} still run, and this process has ${count}: every guild would be served twice. Every process must use one count; stop them all to change it (their claim lapses ${SHARED_CLAIM_MS / 1000} s after the last stops)`
		);
		this.name = 'ShardCountMismatchError';
	}
}

/**
 * The shard count every running process of the bot uses, claimed in the bot's Redis. The shard leases are per count
 * (`shard:<count>:<id>`), so without it a process started with another count (an edited SHARD_COUNT, or `auto` after
 * Discord's recommendation grew) would take shards no one holds under its count and serve guilds twice.
 */
export function shardCountClaim(leases: LeaseStore, keyPrefix: string, count: number, onConflict: (error: Error) => void): SharedClaim {
	return new SharedClaim({
		leases,
		key: `${keyPrefix}shard-count`,
		value: String(count),
		conflict: (otherCount) => new ShardCountMismatchError(count, otherCount),
		onConflict
	});
}
