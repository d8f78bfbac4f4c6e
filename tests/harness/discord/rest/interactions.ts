import type { RestContext } from '../context.js';
import type { HarnessRequest, RouteDefinition } from '../http.js';

/**
 * Interaction callbacks and the interaction webhook (@original and follow-ups). None of
 * these take the bot token: discord.js sends them with `auth: false`.
 */
export function interactionRoutes(ctx: RestContext): RouteDefinition[] {
	const service = ctx.interactions;
	const record = (request: HarnessRequest) => service.webhookRecord(request.params.webhook_id ?? '', request.params.token ?? '');

	return [
		{
			method: 'POST',
			route: '/interactions/:interaction_id/:token/callback',
			auth: false,
			handler: (request) => {
				const withResponse = request.query.get('with_response') === 'true';
				const result = service.callback(
					request.params.interaction_id ?? '',
					request.params.token ?? '',
					request.body,
					request.files,
					withResponse
				);
				return result ? { status: 200, body: result } : { status: 204 };
			}
		},
		{
			method: 'POST',
			route: '/webhooks/:webhook_id/:token',
			auth: false,
			handler: (request) => {
				const message = service.followUp(record(request), request.body, request.files);
				return request.query.get('wait') === 'true' ? { status: 200, body: message } : { status: 204 };
			}
		},
		{
			method: 'GET',
			route: '/webhooks/:webhook_id/:token/messages/:message_id',
			auth: false,
			handler: (request) => ({ status: 200, body: service.getMessage(record(request), request.params.message_id ?? '') })
		},
		{
			method: 'PATCH',
			route: '/webhooks/:webhook_id/:token/messages/:message_id',
			auth: false,
			handler: (request) => ({
				status: 200,
				body: service.editMessage(record(request), request.params.message_id ?? '', request.body, request.files)
			})
		},
		{
			method: 'DELETE',
			route: '/webhooks/:webhook_id/:token/messages/:message_id',
			auth: false,
			handler: (request) => {
				service.deleteMessage(record(request), request.params.message_id ?? '');
				return { status: 204 };
			}
		}
	];
}
