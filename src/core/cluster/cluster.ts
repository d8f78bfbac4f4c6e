import { hostname } from 'node:os';
import { Routes, type Client } from 'discord.js';
import type { Logger } from '../logger.js';
import { startupStep } from '../startup-failure.js';
import { describeRedisUrl } from '../storage/redis-connection.js';
import { clusterKeyPrefix } from './cluster-keys.js';
import { ClusterIdentifyThrottler, type IdentifyThrottler } from './identify-throttler.js';
import { LocalLeaseStore, RedisLeaseStore, type LeaseStore } from './lease-store.js';
import { PeriodicRuns } from './periodic-runs.js';
import { processIdentity } from './process-identity.js';
import { describeShards, publishesCommands, shardPlanOf, type CountedShardPlan, type ShardEnvironment, type ShardPlan } from './shard-plan.js';
import { ShardLeases } from './shard-leases.js';
import { SHARED_CLAIM_MS, type SharedClaim } from './shared-claim.js';
import { shardCountClaim } from './shard-count-claim.js';
import { sqliteHostClaim } from './sqlite-host-guard.js';

export interface ClusterEnvironment extends ShardEnvironment {
	readonly DISCORD_TOKEN: string;
	readonly REDIS_URL?: string | undefined;
	readonly MONGODB_URL?: string | undefined;
}

/** What @discordjs/ws hands `buildIdentifyThrottler`; only its gateway information is read. */
interface GatewayInformationSource {
	fetchGatewayInformation(): Promise<{ readonly session_start_limit: { readonly max_concurrency: number } }>;
}

/**
 * This process as one member of the bot's processes: the shards it runs, held under leases so no other process runs
 * them; identifies rationed across every process; periodic jobs run by one process per period. With Redis the members
 * coordinate there; without it the process is alone, and the same rules hold within it.
 */
export class Cluster {
	public readonly holder = processIdentity();
	public readonly runs: PeriodicRuns;
	#plan: ShardPlan;
	#shards: ShardLeases | undefined;
	readonly #claims: SharedClaim[] = [];

	private constructor(
		private readonly env: ClusterEnvironment,
		private readonly leases: LeaseStore,
		private readonly shared: boolean,
		private readonly logger: Logger
	) {
		this.#plan = shardPlanOf(env);
		this.runs = new PeriodicRuns(leases, this.keyPrefix, this.holder);
	}

	/** Connects to Redis when REDIS_URL is set; a Redis that does not answer stops the start, naming it. */
	public static async open(env: ClusterEnvironment, logger: Logger): Promise<Cluster> {
		const url = env.REDIS_URL;
		if (url === undefined) return new Cluster(env, new LocalLeaseStore(), false, logger);
		const leases = await startupStep(
			{
				step: 'connecting to Redis for the cluster (shard leases, identifies, periodic jobs)',
				target: describeRedisUrl(url),
				advice: () => 'that Redis runs at REDIS_URL and accepts this connection'
			},
			() => RedisLeaseStore.connect(url)
		);
		return new Cluster(env, leases, true, logger);
	}

	public get plan(): ShardPlan {
		return this.#plan;
	}

	/** Whether this process publishes the application commands (the one running shard 0). */
	public get publishesCommands(): boolean {
		return publishesCommands(this.#plan);
	}

	private get keyPrefix(): string {
		return clusterKeyPrefix(this.env.DISCORD_TOKEN);
	}

	/** discord.js's `ws.buildIdentifyThrottler`, when identifies are shared with other processes through Redis. */
	public identifyThrottlerBuilder(): ((manager: GatewayInformationSource) => Promise<IdentifyThrottler>) | undefined {
		if (!this.shared) return undefined;
		return async (manager) => {
			const { session_start_limit: limit } = await manager.fetchGatewayInformation();
			return new ClusterIdentifyThrottler(this.leases, this.keyPrefix, this.holder, limit.max_concurrency);
		};
	}

	/**
	 * Before logging in: settles the shard count (Discord's, when `auto` and other processes may run), takes this
	 * process's shards, and with SQLite checks no other machine runs the bot. `onLost` hears of a shard lost later.
	 */
	public async join(client: Client, onLost: (error: Error) => void): Promise<void> {
		if (!this.shared) return;
		const plan = await this.#settledPlan(client);
		this.#plan = plan;
		const { count } = plan;
		const ids = plan.kind === 'part' ? plan.ids : Array.from({ length: count }, (_, id) => id);
		const conflict = (error: Error) => this.logger.error(error.message);
		if (this.env.MONGODB_URL === undefined) {
			const hosts = sqliteHostClaim(this.leases, this.keyPrefix, hostname(), conflict);
			this.#claims.push(hosts);
			await hosts.claim();
		}
		// Processes of another count must all be gone first: a graceful restart with a new count waits for their claim to lapse.
		const counts = shardCountClaim(this.leases, this.keyPrefix, count, conflict);
		this.#claims.push(counts);
		await counts.claim(SHARED_CLAIM_MS + 2_000);
		this.#shards = new ShardLeases({ leases: this.leases, keyPrefix: this.keyPrefix, holder: this.holder, count, ids, onLost });
		await this.#shards.acquire();
		this.logger.info(`This process runs ${describeShards(this.#plan)}.`);
	}

	/** The plan with a number of shards: Discord's recommendation is asked for once, here, and given to discord.js as fixed. */
	async #settledPlan(client: Client): Promise<CountedShardPlan> {
		const plan = this.#plan;
		if (plan.kind !== 'auto') return plan;
		const answer: unknown = await client.rest.get(Routes.gatewayBot());
		// Get Gateway Bot's `shards` (discord-api-docs, developers/events/gateway.mdx); one shard if Discord leaves it out.
		const recommended = typeof answer === 'object' && answer !== null && 'shards' in answer ? answer.shards : undefined;
		const count = typeof recommended === 'number' && Number.isInteger(recommended) ? Math.max(1, recommended) : 1;
		client.options.shards = Array.from({ length: count }, (_, id) => id);
		client.options.shardCount = count;
		return { kind: 'whole', count };
	}

	/** Gives the shards back (a successor starts at once) and closes the connection. */
	public async leave(): Promise<void> {
		for (const claim of this.#claims) claim.stop();
		await this.#shards?.release();
		await this.leases.close();
	}
}
