import { container, Listener } from '@sapphire/framework';
import { ServerEvent, type ApiRequest, type ApiResponse } from '@sapphire/plugin-api';
import { INTERNAL_ERROR, sendApiError } from '../api/api-error.js';
import { requestLogContext, runWithLogContext } from '../logging/log-context.js';

/** Logs a failure under the request's id: these listeners run outside the route's own log context. */
function logFailure(request: ApiRequest, what: string, error: unknown): void {
	runWithLogContext(requestLogContext(request) ?? {}, () => container.logger.error(what, error));
}

/** Replaces plugin-api's route and middleware error listeners, which answer with the raw error message. */
export class ApiRouteErrorListener extends Listener<typeof ServerEvent.RouteError> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { emitter: 'server', event: ServerEvent.RouteError });
	}

	public override run(error: unknown, request: ApiRequest, response: ApiResponse) {
		logFailure(request, 'An API route failed:', error);
		sendApiError(response, INTERNAL_ERROR);
	}
}

export class ApiMiddlewareErrorListener extends Listener<typeof ServerEvent.MiddlewareError> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { emitter: 'server', event: ServerEvent.MiddlewareError });
	}

	public override run(error: unknown, request: ApiRequest, response: ApiResponse) {
		logFailure(request, 'An API middleware failed:', error);
		sendApiError(response, INTERNAL_ERROR);
	}
}
