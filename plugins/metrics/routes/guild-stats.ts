import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError, GuildApiRoute, type GuildRequestContext } from '#sdk';
import { renderUsageChart } from '../lib/usage-chart.js';
import { guildUsageReport, reportPeriodOf } from '../lib/usage-reports.js';
import { DISTINCT_JOINERS_CAP } from '../lib/usage-day.js';

/**
 * `GET /api/v1/guilds/:guildId/stats?days=7|30`: the guild's usage per UTC day and its totals, as `/stats` shows them;
 * `&format=png` answers the chart instead.
 */
export class GuildStatsRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/stats', methods: ['GET'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse, { guildId }: GuildRequestContext) {
		const days = reportPeriodOf(daysParameter(firstOf(request.query.days)));
		const format = firstOf(request.query.format) ?? 'json';
		if (format !== 'json' && format !== 'png') throw new ApiError(400, 'invalid_format', 'format must be json or png.');
		const report = await guildUsageReport(guildId, days);
		if (format === 'png') {
			const png = await renderUsageChart(report);
			response.statusCode = 200;
			response.setHeader('content-type', 'image/png');
			response.end(png);
			return;
		}
		response.ok({ ...report, distinctJoinersCapPerDay: DISTINCT_JOINERS_CAP });
	}
}

/** The `days` query parameter as a number (undefined when absent); anything else than digits is refused. */
function daysParameter(value: string | undefined): number | undefined {
	if (value === undefined || value === '') return undefined;
	if (!/^\d{1,3}$/.test(value)) throw new ApiError(400, 'invalid_days', 'days must be 7 or 30.');
	return Number(value);
}

/** A query parameter given once or several times (the first counts). */
function firstOf(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}
