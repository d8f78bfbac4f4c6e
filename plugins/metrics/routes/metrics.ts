import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError, botMetrics, PublicApiRoute } from '#sdk';
import metrics from '../plugin.js';

/**
 * `GET /api/v1/metrics`: the bot's metrics in Prometheus's text format, unauthenticated as Prometheus scrapes them (keep the API
 * on a private network, or set METRICS_PORT). With METRICS_PORT set they are served there only, and this answers 404, so that an
 * API reachable from outside does not show them.
 */
export class MetricsRoute extends PublicApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'metrics', methods: ['GET'] });
	}

	protected override async handle(_request: ApiRequest, response: ApiResponse) {
		if (metrics.env().METRICS_PORT !== undefined) throw ApiError.notFound('Metrics are served on METRICS_PORT, not on the API.');
		const { contentType, text } = await botMetrics().scrape();
		response.statusCode = 200;
		response.setHeader('content-type', contentType);
		response.end(text);
	}
}
