import type { DiscordStandIn } from '../../tests/harness/discord/index.js';
import type { KalturaStandIn } from '../../tests/harness/kaltura/index.js';
import { Fleet, flushRedis, shardGroups, startDiscord } from './fleet.js';
import { about, closedLoop, closedLoopCount, seedGuilds, subscribe, waitForPosts, webhook, type BenchGuild, type LoadResult } from './load.js';

export const SHARDS = 3;
export const GUILDS_PER_SHARD = 10;
/** Guilds per shard whose #news is subscribed: each webhook becomes this many posts per shard. */
export const SUBSCRIBED_PER_SHARD = 2;
export const INTERACTIONS_IN_FLIGHT = Number(process.env.BENCH_CLUSTER_IN_FLIGHT ?? 24);
const WARM_UP_SECONDS = 2;
export const WEBHOOKS_IN_FLIGHT = 30;
const WARM_UP_WEBHOOKS = 30;
const DELIVERY_TIMEOUT_MS = 180_000;

export interface InteractionBlock {
	readonly load: LoadResult;
	/** CPU ms used in the block: all bot processes together, and the bench process (stand-ins and load generator). */
	readonly botCpuMs: number;
	readonly benchCpuMs: number;
}

export interface WebhookBlock {
	readonly load: LoadResult;
	readonly postsExpected: number;
	readonly posted: number;
	/** From the block's first send until its last post is in its channel. */
	readonly allPostedMs: number;
	/** From the block's last 200 until its last post. */
	readonly drainMs: number;
	/** CPU ms the bot processes used from the first send until the last post. */
	readonly botCpuMs: number;
}

const benchCpuMs = (): number => {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
};
const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/**
 * One configuration: `processes` bot processes over {@link SHARDS} shards, with a Discord stand-in of its own holding each
 * process to its shards' guilds, and a Redis database and SQLite data directory of its own shared by its processes. Several
 * configurations stand side by side, idle but for heartbeats, so that their measurements can be taken in turns.
 */
export class Configuration {
	#webhookBlocks = 0;

	private constructor(
		public readonly processes: number,
		public readonly shardIds: string,
		private readonly kaltura: KalturaStandIn,
		private readonly discord: DiscordStandIn,
		private readonly fleet: Fleet,
		private readonly guilds: readonly BenchGuild[],
		private readonly channels: readonly string[]
	) {}

	/** Starts the processes, subscribes {@link SUBSCRIBED_PER_SHARD} channels per shard, and warms both paths up. */
	public static async start(kaltura: KalturaStandIn, redisUrl: string, processes: number): Promise<Configuration> {
		await flushRedis(redisUrl);
		const discord = await startDiscord(16);
		const groups = shardGroups(SHARDS, processes);
		const guilds = seedGuilds(discord, SHARDS, GUILDS_PER_SHARD);
		let fleet: Fleet | undefined;
		try {
			fleet = await Fleet.start({ discord, kaltura }, redisUrl, SHARDS, groups);
			await discord.waitForShards(
				Array.from({ length: SHARDS }, (_, id) => id),
				SHARDS
			);
			const subscribed = guilds.filter((guild) => guilds.filter((other) => other.shard === guild.shard).indexOf(guild) < SUBSCRIBED_PER_SHARD);
			for (const guild of subscribed) await subscribe(discord, guild);
			const shardIds = groups.map((group) => (group.length === 1 ? String(group[0]) : `${group[0]}-${group.at(-1)}`)).join(' + ');
			const configuration = new Configuration(
				processes,
				shardIds,
				kaltura,
				discord,
				fleet,
				guilds,
				subscribed.map((guild) => guild.channelId)
			);
			await closedLoop(INTERACTIONS_IN_FLIGHT, WARM_UP_SECONDS * 1000, (index) => configuration.#ask(index));
			await configuration.webhooks(WARM_UP_WEBHOOKS);
			return configuration;
		} catch (error) {
			await fleet?.stop();
			await discord.stop();
			throw error;
		}
	}

	public get label(): string {
		return `${this.processes} process${this.processes === 1 ? '' : 'es'} (${this.shardIds})`;
	}

	/** A closed loop of `/about` over every guild of every shard for `seconds`. */
	public async interactions(seconds: number): Promise<InteractionBlock> {
		const [botsBefore, benchBefore] = [sum(this.fleet.cpuMs()), benchCpuMs()];
		const load = await closedLoop(INTERACTIONS_IN_FLIGHT, seconds * 1000, (index) => this.#ask(index));
		return { load, botCpuMs: sum(this.fleet.cpuMs()) - botsBefore, benchCpuMs: benchCpuMs() - benchBefore };
	}

	/** `count` signed webhooks round-robin over the processes' webhook URLs, then the wait until every post is made. */
	public async webhooks(count: number): Promise<WebhookBlock> {
		const marker = `Block ${++this.#webhookBlocks} of ${this.processes}p`;
		const urls = this.fleet.webhookUrls;
		const cpuBefore = sum(this.fleet.cpuMs());
		const sendsStarted = Date.now();
		const load = await closedLoopCount(WEBHOOKS_IN_FLIGHT, count, (index) =>
			webhook(this.kaltura, urls[index % urls.length] ?? '', `${marker} #${index}`)
		);
		const lastAccepted = Date.now();
		const postsExpected = count * this.channels.length;
		const { posted, ms } = await waitForPosts(this.discord, this.channels, `${marker} #`, postsExpected, sendsStarted, DELIVERY_TIMEOUT_MS);
		return {
			load,
			postsExpected,
			posted,
			allPostedMs: ms,
			drainMs: sendsStarted + ms - lastAccepted,
			botCpuMs: sum(this.fleet.cpuMs()) - cpuBefore
		};
	}

	/** CPU ms per second each process uses while no load comes (heartbeats, lease renewals, the outbox poller), over `seconds`. */
	public async idleCpu(seconds: number): Promise<number[]> {
		const before = this.fleet.cpuMs();
		await new Promise((done) => setTimeout(done, seconds * 1000));
		return this.fleet.cpuMs().map((after, index) => (after - (before[index] ?? after)) / seconds);
	}

	/** What the processes printed (warnings and errors). */
	public complaints(): string[] {
		return this.fleet.complaints();
	}

	public async stop(): Promise<string[]> {
		try {
			return await this.fleet.stop();
		} finally {
			await this.discord.stop();
		}
	}

	#ask(index: number): Promise<void> {
		const guild = this.guilds[index % this.guilds.length];
		if (guild === undefined) throw new Error('no guild');
		return about(this.discord, guild);
	}
}
