import { benchActivityRoom } from './activity-room.js';
import { benchActivitySkew } from './activity-skew.js';
import { benchCluster } from './cluster.js';
import { benchConfigResolution } from './config-resolution.js';
import { benchGuildApiRoute } from './guild-api-route.js';
import { benchInteractionRoundTrip } from './interaction-round-trip.js';
import { benchMeetingJoin } from './meeting-join.js';
import { benchMetricsOverhead } from './metrics-overhead.js';
import { benchMetricsScrape } from './metrics-scrape.js';
import { benchNotificationsFanOut } from './notifications-fan-out.js';
import { benchNotificationsIngest } from './notifications-ingest.js';
import { benchUserSyncReconciliation } from './user-sync-reconciliation.js';

/**
 * Runs every benchmark and prints its figures. Ratios compare against a baseline measured in the
 * same run, because these machines are shared and absolute numbers drift from run to run.
 */
const benchmarks: Record<string, () => Promise<Record<string, string | number>>> = {
	'guild config resolution': benchConfigResolution,
	'interaction round trip': benchInteractionRoundTrip,
	'user-sync reconciliation': benchUserSyncReconciliation,
	'meeting join': benchMeetingJoin,
	'notifications ingest': benchNotificationsIngest,
	'notifications fan-out': benchNotificationsFanOut,
	'guild API route': benchGuildApiRoute,
	'metrics instrumentation overhead': benchMetricsOverhead,
	'metrics scrape': benchMetricsScrape,
	cluster: benchCluster,
	'activity room (500 sockets)': benchActivityRoom,
	'activity skew (two browsers)': benchActivitySkew
};

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(benchmarks)) {
	if (only.length > 0 && !only.some((filter) => name.includes(filter))) continue;
	console.log(`\n## ${name}`);
	for (const [label, value] of Object.entries(await run())) console.log(`  ${label}: ${value}`);
}
