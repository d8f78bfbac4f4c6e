import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { KalturaStandIn } from '../tests/harness/kaltura/index.js';
import { benchRedisUrl, flushRedis } from './cluster/fleet.js';
import { identifyTime } from './cluster/identify.js';
import { residentMemory } from './cluster/memory.js';
import { complaintRows, throughputRows, type ConfigurationResults } from './cluster/report.js';
import { Configuration, GUILDS_PER_SHARD, INTERACTIONS_IN_FLIGHT, SHARDS, SUBSCRIBED_PER_SHARD, WEBHOOKS_IN_FLIGHT } from './cluster/throughput.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');
const MEMORY_GUILDS_PER_SHARD = Number(process.env.BENCH_CLUSTER_MEMORY_GUILDS ?? 250);
const IDENTIFY_SHARDS = 16;
/** Discord's identify window at max_concurrency 1: the first identify goes at once, each further one 5 s after the last. */
const IDENTIFY_WINDOW_MS = 5_000;
const PROCESS_COUNTS = [1, 2, 3];
const ROUNDS = Number(process.env.BENCH_CLUSTER_ROUNDS ?? 3);
/** Per round and configuration: seconds of interactions, and webhooks. */
const INTERACTION_SECONDS = Number(process.env.BENCH_CLUSTER_SECONDS ?? 5);
const IDLE_SECONDS = 5;
const WEBHOOKS = Number(process.env.BENCH_CLUSTER_WEBHOOKS ?? 200);

/** The newest modification time of the TypeScript under `directory`, tests left out (they are not built). */
function newestSource(directory: string): number {
	let newest = 0;
	for (const entry of readdirSync(directory, { withFileTypes: true })) {
		const path = join(directory, entry.name);
		if (entry.isDirectory()) {
			if (entry.name !== 'tests' && entry.name !== 'node_modules' && entry.name !== 'web') newest = Math.max(newest, newestSource(path));
		} else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
	}
	return newest;
}

/**
 * The bench runs the compiled build (`node dist/src/main.js`, as the Docker image does) and does not build it: several
 * processes start from the same `dist/`, and a build racing another would leave it half written. It says when the build
 * is older than the sources, so that a figure is not taken for the code being edited.
 */
function checkBuild(): void {
	const main = join(PROJECT_ROOT, 'dist', 'src', 'main.js');
	if (!existsSync(main)) throw new Error('dist/src/main.js is missing: run `npm run build` first');
	const builtAt = statSync(main).mtimeMs;
	const newest = Math.max(newestSource(join(PROJECT_ROOT, 'src')), newestSource(join(PROJECT_ROOT, 'plugins')));
	if (newest > builtAt) console.warn(`  (dist/ was built ${((newest - builtAt) / 60_000).toFixed(0)} min before the newest source change)`);
}

/**
 * The bot run as several processes on one machine: interactions and webhooks per second with 1, 2 and 3 processes over 3
 * shards, RSS of one process with 1 and with 4 shards, and the time 16 shards take to identify at max_concurrency 1.
 * Everything runs on this machine: the stand-ins and the load generator share its cores with the bots, so the ratios say
 * how far more processes help here, not on a machine of their own each.
 */
export async function benchCluster(): Promise<Record<string, string>> {
	checkBuild();
	const redisUrl = benchRedisUrl();
	await flushRedis(redisUrl);
	const kaltura = await KalturaStandIn.start({
		partnerId: 6161,
		adminSecret: 'bench-admin-secret-for-the-cluster',
		notifications: { autoDispatch: false }
	});
	try {
		const rows: Record<string, string> = {
			cores: `${availableParallelism()} (os.availableParallelism()), shared by the bots, the stand-ins and the load generator`,
			load: [
				`SHARD_COUNT ${SHARDS}, ${GUILDS_PER_SHARD} guilds per shard; ${ROUNDS} rounds, each configuration in turn;`,
				`per round /about ${INTERACTIONS_IN_FLIGHT} in flight for ${INTERACTION_SECONDS} s,`,
				`then ${WEBHOOKS} entryReady webhooks ${WEBHOOKS_IN_FLIGHT} in flight, each posted to ${SUBSCRIBED_PER_SHARD * SHARDS} channels (${SUBSCRIBED_PER_SHARD} per shard);`,
				`SQLite on tmpfs; Redis databases ${redisUrl.replace(/^.*\//, '/')} and up, one per configuration`
			].join(' ')
		};
		Object.assign(rows, await interleavedThroughput(kaltura));

		const one = await residentMemory(kaltura, redisUrl, 1, MEMORY_GUILDS_PER_SHARD);
		const four = await residentMemory(kaltura, redisUrl, 4, MEMORY_GUILDS_PER_SHARD);
		rows[`RSS, 1 process, 1 shard (${one.guilds} guilds)`] = `${one.rss.toFixed(1)} MiB`;
		rows[`RSS, 1 process, 4 shards (${four.guilds} guilds)`] = `${four.rss.toFixed(1)} MiB`;
		rows[`RSS per shard of ${MEMORY_GUILDS_PER_SHARD} guilds beyond the first, (4 shards - 1 shard) / 3`] =
			`${((four.rss - one.rss) / 3).toFixed(1)} MiB`;
		Object.assign(rows, complaintRows('memory', [...one.complaints, ...four.complaints]));

		const identify = await identifyTime(kaltura, redisUrl, IDENTIFY_SHARDS);
		const floor = (IDENTIFY_SHARDS - 1) * IDENTIFY_WINDOW_MS;
		rows[`identify, ${IDENTIFY_SHARDS} shards at max_concurrency 1: start → all sessions READY, ratio to floor ${floor / 1000} s`] =
			`${(identify.startToAllReadyMs / 1000).toFixed(1)} s, ${(identify.startToAllReadyMs / floor).toFixed(2)}`;
		rows['identify: start → /ready 200; first → last accepted identify (ratio to floor)'] =
			`${(identify.startToProcessReadyMs / 1000).toFixed(1)} s; ${(identify.firstToLastIdentifyMs / 1000).toFixed(1)} s (${(identify.firstToLastIdentifyMs / floor).toFixed(2)})`;
		rows['identify: accepted / refused (stand-in log), shortest gap'] =
			`${identify.accepted} / ${identify.refused}, ${(identify.minimumGapMs / 1000).toFixed(2)} s`;
		Object.assign(rows, complaintRows('identify', identify.complaints));
		return rows;
	} finally {
		await kaltura.stop();
		for (const offset of PROCESS_COUNTS.keys()) await flushRedis(benchRedisUrl(offset));
	}
}

/**
 * The configurations stand side by side (each with its own stand-in and Redis database; the idle ones only heartbeat) and
 * are measured in turns, round after round, the order turning each round, so that whatever else the shared machine does
 * weighs on all of them alike rather than on whichever ran last.
 */
async function interleavedThroughput(kaltura: KalturaStandIn): Promise<Record<string, string>> {
	const configurations: Configuration[] = [];
	try {
		for (const [offset, processes] of PROCESS_COUNTS.entries())
			configurations.push(await Configuration.start(kaltura, benchRedisUrl(offset), processes));
		const measured = configurations.map((configuration) => ({
			configuration,
			results: { label: configuration.label, idleCpu: [], interactions: [], webhooks: [] } as ConfigurationResults
		}));
		for (const entry of measured) entry.results.idleCpu.push(...(await entry.configuration.idleCpu(IDLE_SECONDS)));
		const inTurn = (round: number) => measured.map((_, index) => measured[(index + round) % measured.length] ?? measured[index]);
		for (let round = 0; round < ROUNDS; round++) {
			for (const entry of inTurn(round)) entry?.results.interactions.push(await entry.configuration.interactions(INTERACTION_SECONDS));
		}
		for (let round = 0; round < ROUNDS; round++) {
			for (const entry of inTurn(round)) entry?.results.webhooks.push(await entry.configuration.webhooks(WEBHOOKS));
		}
		const rows = throughputRows(measured.map((entry) => entry.results));
		for (const configuration of configurations) Object.assign(rows, complaintRows(configuration.label, configuration.complaints()));
		return rows;
	} finally {
		for (const configuration of configurations) {
			const failures = await configuration.stop();
			if (failures.length > 0) console.warn(`  ${configuration.label}: ${failures.join('; ')}`);
		}
	}
}
