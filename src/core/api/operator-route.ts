import { createHash, timingSafeEqual } from 'node:crypto';
import { container, type Awaitable } from '@sapphire/framework';
import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError } from './api-error.js';
import { ApiRoute, type ApiRouteOptions } from './api-route.js';

/**
 * Whether the presented token is the operator's, in time independent of where they differ: both sides are
 * hashed first, so the comparison sees equal lengths and leaks neither the length nor a prefix of the secret.
 */
export function isOperatorToken(presented: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * A route for whoever runs the bot, not for a guild: it needs `Authorization: Bearer <OPERATOR_API_TOKEN>`.
 * Guild API tokens (JWTs, whatever their scope) are never accepted. Without OPERATOR_API_TOKEN the route
 * answers exactly as a path that does not exist, so a bot that does not use it does not reveal it.
 */
export abstract class OperatorApiRoute extends ApiRoute {
	public constructor(context: Route.LoaderContext, options: ApiRouteOptions) {
		// Without OPERATOR_API_TOKEN the route never joins the router (Sapphire skips a disabled piece before its store
		// sees it): a route in the router answers other methods with 405 and CORS preflights with 204, telling anyone
		// the path exists. Disabling it later would not do: plugin-api's router keeps routes under a `[param]` segment
		// after their removal (see `rebuildRouter`).
		super(context, { ...options, enabled: container.env.OPERATOR_API_TOKEN !== undefined });
	}

	protected override serve(request: ApiRequest, response: ApiResponse): Awaitable<unknown> {
		const expected = this.container.env.OPERATOR_API_TOKEN;
		// The API's own answer for a path no route matches (ApiHeadersMiddleware), word for word.
		if (expected === undefined) throw ApiError.notFound('No API route matches this path.');
		const header = request.headers.authorization;
		const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header.trim()) : null;
		if (match === null) throw new ApiError(401, 'unauthorized', 'Send the operator token: "Authorization: Bearer <OPERATOR_API_TOKEN>".');
		const [, presented = ''] = match;
		if (!isOperatorToken(presented, expected)) throw new ApiError(401, 'unauthorized', 'The bearer token is not the operator token.');
		return this.handle(request, response);
	}

	protected abstract handle(request: ApiRequest, response: ApiResponse): Awaitable<unknown>;
}
