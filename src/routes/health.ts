import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { PublicApiRoute } from '../core/api/api-route.js';
import { BOT_VERSION } from '../core/version.js';

/** Liveness: the process answers HTTP. Needs nothing else, so a slow dependency never restarts the bot. */
export class HealthRoute extends PublicApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'health', methods: ['GET'] });
	}

	protected override handle(_request: ApiRequest, response: ApiResponse) {
		response.ok({ status: 'ok', version: BOT_VERSION, uptimeSeconds: Math.round(process.uptime()) });
	}
}
