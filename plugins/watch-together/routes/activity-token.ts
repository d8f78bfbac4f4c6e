import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError, PublicApiRoute, readValidatedJson } from '#sdk';
import { runningServices } from '../lib/activity-request.js';
import { exchangeActivityCode } from '../lib/sign-in.js';
import { signInBodySchema } from '../lib/sign-in-input.js';

/**
 * `POST /api/v1/activity/token`: the Activity's sign-in. Anyone may call it; what it gives depends wholly on Discord:
 * the code must be one Discord issued to this application for the caller, and Discord must count the caller in the
 * instance, in a server the bot serves with the plugin on. Each sign-in costs a Discord call, so they are limited per
 * remote address and in all (429, sign-in-limits.ts), and malformed input never reaches Discord. The answer is Discord's access token (for the SDK's
 * authenticate) and a session token good for that one instance for 15 minutes.
 */
export class ActivityTokenRoute extends PublicApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'activity/token', methods: ['POST'], name: 'watch-together-activity-token' });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse) {
		// The peer's own address: forwarding headers are anyone's to write.
		runningServices().signInLimiter.admit(request.socket.remoteAddress ?? 'unknown');
		const body = await readValidatedJson(request, signInBodySchema, 4 * 1024);
		const signedIn = await exchangeActivityCode(body.code, body.instanceId);
		if (signedIn === undefined) throw new ApiError(400, 'invalid_code', 'Discord refused the authorization code; sign in again.');
		response.setHeader('cache-control', 'no-store');
		response.ok(signedIn);
	}
}
