import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { standInEnvironment } from '../tests/harness/bot-process.js';
import { KalturaStandIn } from '../tests/harness/kaltura/index.js';
import { compiledTrees, startCompiledBot } from './compiled-bot.js';
import { roundTrip, standIn } from './interaction-round-trip.js';
import { ADMIN_SECRET } from './notifications-ingest.js';
import { WebhookClient } from './webhook-client.js';

/**
 * A CPU profile of the compiled bot under the overhead bench's load (sequential `/about`s, then bursts of webhooks), with the
 * metrics plugin (`on`, the default) or without it (`off`): `npx tsx bench/metrics-profile.ts on <directory>`. Open the
 * `.cpuprofile` in Chrome's DevTools, or sum its self time by file to see what recording costs.
 */
const variant = process.argv[2] === 'off' ? 'off' : 'on';
const directory = resolve(process.argv[3] ?? `metrics-profile-${variant}`);
mkdirSync(directory, { recursive: true });
const roots = compiledTrees({ profiled: variant === 'on' ? [] : ['metrics'] });
const root = roots.profiled ?? '';
const kaltura = await KalturaStandIn.start({ partnerId: 5151, adminSecret: ADMIN_SECRET, notifications: { autoDispatch: false } });
const target = await standIn(1);
const bot = await startCompiledBot(root, standInEnvironment({ discord: target.discord, kaltura }), [
	'--cpu-prof',
	`--cpu-prof-dir=${directory}`,
	'--cpu-prof-interval=100'
]);
const webhooks = new WebhookClient(`${bot.apiUrl}/webhooks/kaltura`, 5151, ADMIN_SECRET);
try {
	for (let count = 0; count < Number(process.env.BENCH_PROFILE_INTERACTIONS ?? 3_000); count++) await roundTrip(target);
	for (let burst = 0; burst < Number(process.env.BENCH_PROFILE_WEBHOOK_BURSTS ?? 20); burst++) await webhooks.burst(500);
} finally {
	webhooks.close();
	await bot.stop();
	await target.discord.stop();
	await kaltura.stop();
	rmSync(root, { recursive: true, force: true });
}
console.log(`CPU profile written to ${directory}`);
