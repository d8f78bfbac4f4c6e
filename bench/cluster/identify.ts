import type { KalturaStandIn } from '../../tests/harness/kaltura/index.js';
import { Fleet, flushRedis, startDiscord } from './fleet.js';

export interface IdentifyFigure {
	readonly shards: number;
	/** From spawning the process until the stand-in holds a live session for every shard. */
	readonly startToAllReadyMs: number;
	/** From spawning the process until its /ready answers 200. */
	readonly startToProcessReadyMs: number;
	/** From the first accepted identify to the last. */
	readonly firstToLastIdentifyMs: number;
	readonly accepted: number;
	readonly refused: number;
	/** Shortest gap between two accepted identifies, ms. */
	readonly minimumGapMs: number;
	readonly complaints: string[];
}

/**
 * One process starting every shard of `shards` with REDIS_URL set (so identifies go through the cluster's throttler, as with
 * several processes) against the stand-in at Discord's own limit: max_concurrency 1, one identify per 5 s, refused with op 9
 * when faster. The stand-in's identify log says when each identify arrived and whether it was refused.
 */
export async function identifyTime(kaltura: KalturaStandIn, redisUrl: string, shards: number): Promise<IdentifyFigure> {
	await flushRedis(redisUrl);
	const discord = await startDiscord(1);
	let fleet: Fleet | undefined;
	try {
		const ids = Array.from({ length: shards }, (_, id) => id);
		for (const shard of ids) discord.addGuildOnShard([shard, shards], { name: `identify ${shard}` });
		const started = Date.now();
		let allReadyAt = 0;
		const sessions = discord.waitForShards(ids, shards, 300_000).then(() => (allReadyAt = Date.now()));
		fleet = await Fleet.start({ discord, kaltura }, redisUrl, shards, [ids]);
		const processReadyAt = Date.now();
		await sessions;
		const log = discord.gateway.sessionStarts.log;
		const accepted = log.filter((entry) => entry.outcome === 'accepted').map((entry) => entry.at);
		const gaps = accepted.slice(1).map((at, index) => at - (accepted[index] ?? at));
		return {
			shards,
			startToAllReadyMs: allReadyAt - started,
			startToProcessReadyMs: processReadyAt - started,
			firstToLastIdentifyMs: (accepted.at(-1) ?? 0) - (accepted[0] ?? 0),
			accepted: accepted.length,
			refused: log.filter((entry) => entry.outcome === 'refused').length,
			minimumGapMs: gaps.length === 0 ? Number.NaN : Math.min(...gaps),
			complaints: fleet.complaints()
		};
	} finally {
		await fleet?.stop();
		await discord.stop();
		await flushRedis(redisUrl);
	}
}
