import { UserFacingError } from '#sdk';
import metrics from '../plugin.js';
import { DISTINCT_JOINERS_CAP } from './usage-day.js';
import { REPORT_PERIODS, usageReport, type ReportPeriod, type UsageReport } from './usage-report.js';

/** The period asked for (7 when none), or a clear refusal. */
export function reportPeriodOf(days: number | null | undefined): ReportPeriod {
	if (days === null || days === undefined) return 7;
	const period = REPORT_PERIODS.find((known) => known === days);
	if (period === undefined) throw new UserFacingError('invalid_days', `days must be ${REPORT_PERIODS.join(' or ')}, not ${days}.`);
	return period;
}

/** The guild's usage over the last `days` UTC days (today included). */
export async function guildUsageReport(guildId: string, days: ReportPeriod): Promise<UsageReport> {
	if (!metrics.isRunning()) {
		throw new UserFacingError('usage_unavailable', 'Usage is not available: the metrics plugin is not running.', { status: 503 });
	}
	return usageReport(days, await metrics.services().usage.days(guildId, days), DISTINCT_JOINERS_CAP);
}
