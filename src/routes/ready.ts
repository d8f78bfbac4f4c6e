import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { PublicApiRoute } from '../core/api/api-route.js';

/** Readiness: the gateway session and storage are up; 503 otherwise, naming which check failed. */
export class ReadyRoute extends PublicApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'ready', methods: ['GET'] });
	}

	protected override async handle(_request: ApiRequest, response: ApiResponse) {
		const report = await this.container.readiness.report();
		response.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks });
	}
}
