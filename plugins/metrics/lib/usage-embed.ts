import { EmbedBuilder, type APIEmbed } from 'discord.js';
import { DISTINCT_JOINERS_CAP } from './usage-day.js';
import { meetingsStartedOf, type UsageReport } from './usage-report.js';

/** The name of the chart attached to the reply, which the embed's image points at. */
export const CHART_NAME = 'stats.png';

/** The report's numbers as an embed; with `withChart`, showing the attached chart. */
export function usageEmbed(report: UsageReport, withChart: boolean): APIEmbed {
	const { totals } = report;
	const byType = Object.entries(totals.meetingsStarted)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([type, count]) => `${type}: ${count}`);
	const distinct = report.joinersCapped ? `at least ${totals.distinctJoiners} (${DISTINCT_JOINERS_CAP} kept a day)` : `${totals.distinctJoiners}`;
	const embed = new EmbedBuilder()
		.setTitle(`Usage of this server, last ${report.days} days`)
		.setDescription(`From ${report.series[0]?.day ?? ''} to ${report.series.at(-1)?.day ?? ''} (UTC days).`)
		.addFields(
			{ name: 'Meetings started', value: `${meetingsStartedOf(totals)}${byType.length === 0 ? '' : ` (${byType.join(', ')})`}` },
			{ name: 'Joins', value: `${totals.joins} by ${distinct} distinct members`, inline: true },
			{ name: 'Videos searched', value: `${totals.videoSearches}`, inline: true },
			{ name: 'Videos shared', value: `${totals.videoShares}`, inline: true },
			{ name: 'Notifications', value: `${totals.notificationsDelivered} delivered, ${totals.notificationsFailed} failed`, inline: true }
		);
	if (withChart) embed.setImage(`attachment://${CHART_NAME}`);
	return embed.toJSON();
}

export function noUsageText(days: number): string {
	return `No usage recorded in the last ${days} days.`;
}
