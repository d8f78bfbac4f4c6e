import type { UsageDay } from './usage-day.js';

/** The periods a report covers, in days. */
export const REPORT_PERIODS = [7, 30] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export interface UsageCounts {
	readonly meetingsStarted: Readonly<Record<string, number>>;
	readonly joins: number;
	/** Distinct members who joined; per day at most the stored cap, so a busy day counts "at least". */
	readonly distinctJoiners: number;
	readonly videoSearches: number;
	/** Videos shared in a channel (the Share button or the message menu). */
	readonly videoShares: number;
	readonly notificationsDelivered: number;
	readonly notificationsFailed: number;
}

export interface UsageReport {
	readonly days: ReportPeriod;
	/** One entry per UTC day, oldest first, days without usage included. */
	readonly series: readonly ({ readonly day: string } & UsageCounts)[];
	readonly totals: UsageCounts;
	/** Whether any day reached the cap of distinct joiners it keeps. */
	readonly joinersCapped: boolean;
}

/** The report of the stored days; the totals' distinct joiners are distinct over the whole period. */
export function usageReport(days: ReportPeriod, stored: readonly { day: string; usage: UsageDay }[], cap: number): UsageReport {
	const series = stored.map(({ day, usage }) => ({ day, ...countsOf(usage) }));
	const meetingsStarted: Record<string, number> = {};
	for (const { usage } of stored) {
		for (const [type, count] of Object.entries(usage.meetingsStarted)) meetingsStarted[type] = (meetingsStarted[type] ?? 0) + count;
	}
	const sum = (pick: (counts: UsageCounts) => number) => series.reduce((total, counts) => total + pick(counts), 0);
	return {
		days,
		series,
		totals: {
			meetingsStarted,
			joins: sum((counts) => counts.joins),
			distinctJoiners: new Set(stored.flatMap(({ usage }) => usage.joiners)).size,
			videoSearches: sum((counts) => counts.videoSearches),
			videoShares: sum((counts) => counts.videoShares),
			notificationsDelivered: sum((counts) => counts.notificationsDelivered),
			notificationsFailed: sum((counts) => counts.notificationsFailed)
		},
		joinersCapped: stored.some(({ usage }) => usage.joiners.length >= cap)
	};
}

/** Meetings started of every type. */
export function meetingsStartedOf(counts: UsageCounts): number {
	return Object.values(counts.meetingsStarted).reduce((total, count) => total + count, 0);
}

/** Whether the report counts nothing at all. */
export function isEmptyReport(report: UsageReport): boolean {
	const { totals } = report;
	return (
		meetingsStartedOf(totals) +
			totals.joins +
			totals.videoSearches +
			totals.videoShares +
			totals.notificationsDelivered +
			totals.notificationsFailed ===
		0
	);
}

function countsOf(usage: UsageDay): UsageCounts {
	return {
		meetingsStarted: usage.meetingsStarted,
		joins: usage.joins,
		distinctJoiners: usage.joiners.length,
		videoSearches: usage.videoSearches,
		videoShares: usage.videoShares ?? 0,
		notificationsDelivered: usage.notificationsDelivered,
		notificationsFailed: usage.notificationsFailed
	};
}
