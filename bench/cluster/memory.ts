import type { KalturaStandIn } from '../../tests/harness/kaltura/index.js';
import { median } from '../stats.js';
import { Fleet, flushRedis, rssMiB, startDiscord } from './fleet.js';

const SETTLE_MS = 5_000;
const SAMPLES = 10;
const SAMPLE_EVERY_MS = 500;

export interface MemoryFigure {
	readonly shards: number;
	readonly guilds: number;
	/** Median RSS over the sampling window, MiB. */
	readonly rss: number;
	readonly complaints: string[];
}

/**
 * One process running every shard of `shards`, `guildsPerShard` guilds on each, after all its shards are ready: RSS left alone
 * for {@link SETTLE_MS} (no forced collection, which no production process gets either), then the median of {@link SAMPLES}
 * readings {@link SAMPLE_EVERY_MS} apart, so that one reading taken just before or after a collection does not decide the figure.
 */
export async function residentMemory(kaltura: KalturaStandIn, redisUrl: string, shards: number, guildsPerShard: number): Promise<MemoryFigure> {
	await flushRedis(redisUrl);
	const discord = await startDiscord(16);
	let fleet: Fleet | undefined;
	try {
		for (let shard = 0; shard < shards; shard++) {
			for (let index = 0; index < guildsPerShard; index++) discord.addGuildOnShard([shard, shards], { name: `memory ${shard}.${index}` });
		}
		const ids = Array.from({ length: shards }, (_, id) => id);
		fleet = await Fleet.start({ discord, kaltura }, redisUrl, shards, [ids]);
		await discord.waitForShards(ids, shards);
		await new Promise((done) => setTimeout(done, SETTLE_MS));
		const pid = fleet.bots[0]?.pid ?? -1;
		const readings: number[] = [];
		for (let index = 0; index < SAMPLES; index++) {
			readings.push(rssMiB(pid));
			await new Promise((done) => setTimeout(done, SAMPLE_EVERY_MS));
		}
		return { shards, guilds: shards * guildsPerShard, rss: median(readings), complaints: fleet.complaints() };
	} finally {
		await fleet?.stop();
		await discord.stop();
	}
}
