import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { PublicApiRoute } from '../core/api/api-route.js';

/**
 * Readiness: the gateway session, storage and the bot token are good; 503 otherwise, naming which check
 * failed and, where a check says, what to do (`reason`, one sentence per failing check).
 */
export class ReadyRoute extends PublicApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'ready', methods: ['GET'] });
	}

	protected override async handle(_request: ApiRequest, response: ApiResponse) {
		const report = await this.container.readiness.report();
		const reasons = Object.values(report.reasons);
		response.status(report.ready ? 200 : 503).json({
			status: report.ready ? 'ready' : 'not_ready',
			checks: report.checks,
			...(reasons.length > 0 ? { reason: reasons.join('; '), reasons: report.reasons } : {})
		});
	}
}
