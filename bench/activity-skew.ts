import { pathToFileURL } from 'node:url';
import { control, waitForProbe, WatchTogetherScene, type DiscordClient } from '../tests/harness/discord-client/index.js';
import { percentile } from './stats.js';

const SESSION_MS = 60_000;
const SAMPLE_EVERY_MS = 100;
/** Where the controller jumps to, one every SESSION_MS / (SEEKS.length + 1): spread over the 60-second video, never near its end. */
const SEEKS = [12, 40, 5, 33, 48, 20, 45, 8, 27, 38];

interface Sample {
	readonly currentTime: number;
	readonly paused: boolean;
	/** Wall clock when read (both pages run on this machine's clock). */
	readonly now: number;
}

function sample(client: DiscordClient): Promise<Sample> {
	return client.frame.evaluate(() => {
		const hook = (globalThis as unknown as { __watchTogether?: { state(): { currentTime: number; paused: boolean } } }).__watchTogether;
		const state = hook?.state();
		return { currentTime: state?.currentTime ?? Number.NaN, paused: state?.paused ?? true, now: Date.now() };
	});
}

/**
 * Position skew between two members watching together in real Chromium: a 60-second session on the 60-second test
 * video with 10 seeks by the controller, both players' currentTime read every 100 ms through `window.__watchTogether`.
 * The two reads of a sample happen a few milliseconds apart; when both are playing, the difference of their read times is
 * taken out, so the figure is the players' disagreement, not the sampler's.
 */
export async function benchActivitySkew(): Promise<Record<string, string | number>> {
	const scene = await WatchTogetherScene.start();
	try {
		const instanceId = scene.startInstance([scene.members.alice, scene.members.bob]);
		const host = await scene.open(instanceId, scene.members.alice);
		await waitForProbe(host, (state) => state.connected && state.controls, { timeoutMs: 30_000 });
		const guest = await scene.open(instanceId, scene.members.bob);
		await waitForProbe(guest, (state) => state.connected, { timeoutMs: 30_000 });
		await control(host, 'load', { entryId: scene.entryId });
		for (const client of [host, guest]) await waitForProbe(client, (state) => state.readyState >= 2, { timeoutMs: 15_000 });
		await control(host, 'play', { position: 0 });
		await waitForProbe(guest, (state) => !state.paused, { timeoutMs: 5_000 });

		const skews: number[] = [];
		const started = Date.now();
		const seekEvery = SESSION_MS / (SEEKS.length + 1);
		let seeks = 0;
		while (Date.now() - started < SESSION_MS) {
			const tick = Date.now();
			if (seeks < SEEKS.length && tick - started >= seekEvery * (seeks + 1)) void control(host, 'seek', { position: SEEKS[seeks++] });
			const [a, b] = await Promise.all([sample(host), sample(guest)]);
			const readGap = a.paused || b.paused ? 0 : (a.now - b.now) / 1000;
			skews.push(Math.abs(a.currentTime - b.currentTime - readGap) * 1000);
			await new Promise((resolve) => setTimeout(resolve, Math.max(0, SAMPLE_EVERY_MS - (Date.now() - tick))));
		}
		const sorted = skews.filter(Number.isFinite).sort((x, y) => x - y);
		return {
			samples: sorted.length,
			seeks,
			'skew p50': `${percentile(sorted, 50).toFixed(1)} ms`,
			'skew p90': `${percentile(sorted, 90).toFixed(1)} ms`,
			'skew p99': `${percentile(sorted, 99).toFixed(1)} ms`,
			'samples over 250 ms': sorted.filter((value) => value > 250).length,
			'skew max': `${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms`,
			'p99 under 250 ms': percentile(sorted, 99) < 250 ? 'yes' : 'no'
		};
	} finally {
		await scene.stop();
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	for (const [label, value] of Object.entries(await benchActivitySkew())) console.log(`  ${label}: ${value}`);
}
