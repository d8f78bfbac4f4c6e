import { Listener } from '@sapphire/framework';
import { ServerEvent, type ApiRequest, type ApiResponse } from '@sapphire/plugin-api';
import { INTERNAL_ERROR, sendApiError } from '../api/api-error.js';

/** Replaces plugin-api's route and middleware error listeners, which answer with the raw error message. */
export class ApiRouteErrorListener extends Listener<typeof ServerEvent.RouteError> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { emitter: 'server', event: ServerEvent.RouteError });
	}

	public override run(error: unknown, _request: ApiRequest, response: ApiResponse) {
		this.container.logger.error('An API route failed:', error);
		sendApiError(response, INTERNAL_ERROR);
	}
}

export class ApiMiddlewareErrorListener extends Listener<typeof ServerEvent.MiddlewareError> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { emitter: 'server', event: ServerEvent.MiddlewareError });
	}

	public override run(error: unknown, _request: ApiRequest, response: ApiResponse) {
		this.container.logger.error('An API middleware failed:', error);
		sendApiError(response, INTERNAL_ERROR);
	}
}
