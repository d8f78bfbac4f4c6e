/**
 * Snowflake ids exactly as Discord lays them out: 42 bits of milliseconds since the
 * Discord epoch, 5 bits worker, 5 bits process, 12 bits increment. Ids generated now
 * are 19 digits long, which matters: @discordjs/rest only recognises 17–19 digit ids
 * as major parameters when it buckets routes.
 */
export const DISCORD_EPOCH_MS = 1_420_070_400_000;

export class SnowflakeGenerator {
	#lastMs = 0;
	#increment = 0;

	public constructor(
		private readonly workerId = 1,
		private readonly processId = 0,
		private readonly now: () => number = Date.now
	) {}

	/** A new id, strictly greater than every id this generator produced before. */
	public next(): string {
		let ms = Math.max(this.now(), this.#lastMs);
		if (ms === this.#lastMs) {
			this.#increment += 1;
			if (this.#increment > 0xfff) {
				ms += 1;
				this.#increment = 0;
			}
		} else {
			this.#increment = 0;
		}
		this.#lastMs = ms;
		const value =
			(BigInt(ms - DISCORD_EPOCH_MS) << 22n) |
			(BigInt(this.workerId & 0x1f) << 17n) |
			(BigInt(this.processId & 0x1f) << 12n) |
			BigInt(this.#increment);
		return value.toString();
	}
}

/** Milliseconds since the Unix epoch encoded in a snowflake. */
export function snowflakeTimestamp(id: string): number {
	return Number(BigInt(id) >> 22n) + DISCORD_EPOCH_MS;
}

/** The shard a guild belongs to: `(guild_id >> 22) % num_shards`. */
export function shardForGuild(guildId: string, shardCount: number): number {
	return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * The next id of `ids` that falls on shard `shardId` of `shardCount`. Ids made in the same millisecond share a
 * shard, and the generator moves to the next millisecond after 4096 ids, so this takes at most `shardCount` ms worth
 * of ids, all unique.
 */
export function nextSnowflakeOnShard(ids: SnowflakeGenerator, shardId: number, shardCount: number): string {
	if (!Number.isInteger(shardCount) || shardCount < 1 || !Number.isInteger(shardId) || shardId < 0 || shardId >= shardCount) {
		throw new RangeError(`Discord stand-in: no shard ${shardId} of ${shardCount}`);
	}
	for (;;) {
		const id = ids.next();
		if (shardForGuild(id, shardCount) === shardId) return id;
	}
}
