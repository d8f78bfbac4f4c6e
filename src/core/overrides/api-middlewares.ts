import { Middleware, type ApiRequest, type ApiResponse } from '@sapphire/plugin-api';
import { ApiError, sendApiError } from '../api/api-error.js';
import { bodyTooLarge } from '../api/read-json-body.js';
import { beginRequestContext } from '../logging/log-context.js';

/**
 * Replaces plugin-api's `headers` middleware: same CORS headers and early exits, but 404 and 405
 * answer with the API's JSON error envelope (plugin-api sends an empty body) and 405 names the
 * methods that are allowed.
 */
export class ApiHeadersMiddleware extends Middleware {
	public constructor(context: Middleware.LoaderContext) {
		super(context, { position: 10 });
	}

	public override run(request: ApiRequest, response: ApiResponse) {
		const allowed = request.routerNode ? [...request.routerNode.methods()].join(', ') : '';
		response.setHeader('Access-Control-Allow-Origin', this.container.server.options.origin ?? '*');
		response.setHeader('Access-Control-Allow-Headers', 'Authorization, User-Agent, Content-Type');
		if (allowed) response.setHeader('Access-Control-Allow-Methods', allowed);
		response.setHeader('Cache-Control', 'no-store');

		if (request.method === 'OPTIONS' && !request.route?.methods.has('OPTIONS')) {
			response.status(request.routerNode ? 204 : 404).end();
		} else if (request.routerNode === null) {
			sendApiError(response, ApiError.notFound('No API route matches this path.'));
		} else if (request.route === null) {
			sendApiError(response, new ApiError(405, 'method_not_allowed', `This route answers ${allowed}.`), { Allow: allowed });
		}
	}
}

/**
 * Replaces plugin-api's `cookies` middleware. The API authenticates with bearer tokens and sets no
 * cookies, and plugin-api's cookie store throws (500) for every request whose Host is a bare IP
 * address such as 127.0.0.1, which is how probes and local clients call the API.
 */
export class ApiCookiesMiddleware extends Middleware {
	public constructor(context: Middleware.LoaderContext) {
		super(context, { position: 30 });
	}

	public override run() {
		// Intentionally empty: see the class comment.
	}
}

/**
 * Replaces plugin-api's `body` middleware, which only checks a declared length when a content type is
 * also sent. This one refuses any declared length over the route's limit with the JSON envelope; the
 * body readers enforce the same limit on the bytes actually received.
 */
export class ApiBodyLimitMiddleware extends Middleware {
	public constructor(context: Middleware.LoaderContext) {
		super(context, { position: 20 });
	}

	public override run(request: ApiRequest, response: ApiResponse) {
		if (!request.route) return;
		const declared = Number(request.headers['content-length'] ?? 0);
		if (declared > request.route.maximumBodyLength) sendApiError(response, bodyTooLarge(request.route.maximumBodyLength));
	}
}

/**
 * Gives every API request an id, before any other middleware can answer it: a proxy's well-formed
 * `X-Request-Id` is kept (so one id follows the request through both), anything else is replaced.
 * The id goes back as `X-Request-Id`, and the route serving the request logs under it.
 */
export class ApiRequestIdMiddleware extends Middleware {
	public constructor(context: Middleware.LoaderContext) {
		super(context, { position: 5 });
	}

	public override run(request: ApiRequest, response: ApiResponse) {
		response.setHeader('X-Request-Id', beginRequestContext(request, request.headers['x-request-id']));
	}
}
