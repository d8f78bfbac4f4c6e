import { defineCounter, defineHistogram } from '#sdk';
import type { PassSummary } from './pass-types.js';

const passes = defineCounter({
	name: 'user_sync_passes_total',
	help: 'User sync passes, by result (completed, failed: stopped before the end, cancelled: paused by a shutdown)',
	labelNames: ['result']
});
const passDuration = defineHistogram({
	name: 'user_sync_pass_duration_seconds',
	help: 'How long user sync passes ran',
	buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600]
});

/** Counts and times one pass that ended (`cancelled` when a shutdown paused it). */
export function recordSyncPass(summary: PassSummary, cancelled: boolean): void {
	passes.inc({ result: cancelled ? 'cancelled' : summary.stoppedBecause === undefined ? 'completed' : 'failed' });
	passDuration.observe({}, summary.durationMs / 1000);
}
