import { truncate } from '#sdk';
import type { PassCounts, PassProgress, PassSummary, PassTrigger } from './pass-types.js';

/** What members see about a pass. Every number goes through here, so none can print as NaN or undefined. */

const NUMBER = new Intl.NumberFormat('en-US');

/** `1,000`; anything that is not a finite number reads 0. */
export function formatNumber(value: number): string {
	return NUMBER.format(Number.isFinite(value) ? value : 0);
}

function plural(count: number, one: string, many: string): string {
	return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

export function formatCounts(counts: PassCounts): string {
	return `${formatNumber(counts.created)} created, ${formatNumber(counts.updated)} updated, ${formatNumber(counts.unchanged)} unchanged, ${formatNumber(counts.failed)} failed`;
}

/** `4.2 s`, `3 min 12 s`. */
export function formatDuration(milliseconds: number): string {
	const ms = Number.isFinite(milliseconds) ? Math.max(0, milliseconds) : 0;
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	const seconds = Math.round(ms / 1000);
	return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function progressText(progress: PassProgress): string {
	if (progress.total === undefined) return 'Fetching the member list from Discord…';
	const carried = progress.resumedFrom > 0 ? ` (carrying on from an interrupted pass that had done ${formatNumber(progress.resumedFrom)})` : '';
	return `Synced ${formatNumber(progress.done)} of ${plural(progress.total, 'member', 'members')}…${carried}`;
}

const TRIGGERS: Readonly<Record<PassTrigger, string>> = {
	command: 'started with /kaltura-sync',
	schedule: 'the periodic sync',
	startup: 'an interrupted pass the bot carried on after a restart'
};

export function alreadyRunningText(progress: PassProgress, trigger: PassTrigger): string {
	return `A sync of this server’s members to Kaltura is already running (${TRIGGERS[trigger]}). ${progressText(progress)} Only one runs at a time; try again when it has finished.`;
}

export function summaryText(summary: PassSummary): string {
	const lines: string[] = [];
	if (summary.stoppedBecause !== undefined) {
		lines.push(`**The sync stopped** after ${formatDuration(summary.durationMs)}: ${summary.stoppedBecause}`);
		if (summary.total > 0) lines.push(`Before it stopped: ${formatCounts(summary.counts)}.`);
	} else {
		lines.push(
			`**Synced ${plural(summary.total, 'member', 'members')} to Kaltura** in ${formatDuration(summary.durationMs)}: ${formatCounts(summary.counts)}.`
		);
	}
	if (summary.resumedFrom > 0) lines.push(`It carried on from an interrupted pass that had done ${formatNumber(summary.resumedFrom)}.`);
	if (summary.skippedBots > 0) lines.push(`${plural(summary.skippedBots, 'bot was', 'bots were')} skipped: bots get no Kaltura user.`);
	const shown = summary.failures.slice(0, 5);
	if (shown.length > 0) {
		lines.push('Failed:');
		for (const failure of shown) lines.push(`- <@${failure.discordUserId}>: ${failure.message} (${failure.code})`);
		const more = summary.counts.failed - shown.length;
		if (more > 0) lines.push(`…and ${plural(more, 'more', 'more')}; the bot’s log lists the first few. The next sync tries them again.`);
	}
	return truncate(lines.join('\n'), 2000);
}
