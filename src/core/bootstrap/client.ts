import { GatewayIntentBits } from 'discord.js';
import { BotClient } from '../bot-client.js';
import { PRIVILEGED_INTENTS, type Environment } from '../env.js';
import { SapphireWinstonLogger, type Logger } from '../logger.js';
import type { DiscoveredPlugin } from '../plugins/discovery.js';
import type { Cluster } from '../cluster/cluster.js';
import { clientShardOptions } from '../cluster/shard-plan.js';

/** Intents Discord grants only when enabled in the developer portal; without them it closes the connection (4014). */
const PRIVILEGED_INTENT_BITS: ReadonlySet<GatewayIntentBits> = new Set(PRIVILEGED_INTENTS.map((name) => GatewayIntentBits[name]));

/** The first privileged intent of `wanted` the operator did not grant, by name. */
export function missingPrivilegedIntent(wanted: readonly GatewayIntentBits[], granted: ReadonlySet<GatewayIntentBits>): string | undefined {
	const missing = wanted.find((intent) => PRIVILEGED_INTENT_BITS.has(intent) && !granted.has(intent));
	return missing === undefined ? undefined : GatewayIntentBits[missing];
}

/** The Sapphire client, asking for the intents of the plugins about to load and serving the HTTP API (not yet listening). */
export function constructClient(env: Environment, plugins: readonly DiscoveredPlugin[], logger: Logger, cluster: Cluster): BotClient {
	const buildIdentifyThrottler = cluster.identifyThrottlerBuilder();
	return new BotClient({
		// Plugins refused below for a privileged intent the operator did not grant never get their intents asked for.
		intents: [
			GatewayIntentBits.Guilds,
			...plugins
				.flatMap(({ manifest }) => manifest.intents ?? [])
				.filter(
					(intent) =>
						!PRIVILEGED_INTENT_BITS.has(intent) || env.DISCORD_PRIVILEGED_INTENTS.some((name) => GatewayIntentBits[name] === intent)
				)
		],
		rest: { api: env.DISCORD_API_URL },
		// Discord refuses a single session for more than 2,500 guilds: the shard count it recommends, unless the operator
		// splits the shards between processes (SHARD_COUNT with SHARD_IDS, or SHARDS_PER_PROCESS and SHARD_ORDINAL).
		...clientShardOptions(cluster.plan),
		// Processes sharing a token share Discord's identify rate limit, so they take turns through Redis.
		...(buildIdentifyThrottler === undefined ? {} : { ws: { buildIdentifyThrottler } }),
		baseUserDirectory: null,
		logger: { instance: new SapphireWinstonLogger(logger) },
		api: {
			prefix: 'api/',
			listenOptions: { host: env.API_HOST, port: env.API_PORT },
			automaticallyConnect: false,
			maximumBodyLength: 1024 * 1024
		}
	});
}
