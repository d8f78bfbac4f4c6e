import type { RestContext } from '../context.js';
import { DiscordErrors } from '../errors.js';
import type { RouteDefinition } from '../http.js';
import type { ActivityState } from '../state/activities.js';

/**
 * `GET /applications/{application.id}/activity-instances/{instance_id}` with the bot token: the instance, or 404 when
 * there is none (discord-api-docs developers/resources/application.mdx "Get Application Activity Instance";
 * developers/activities/development-guides/multiplayer-experience.mdx: "It returns a serialized active activity
 * instance for the given application, if found, otherwise it returns a 404").
 */
export function activityRoutes(ctx: RestContext, activities: ActivityState): RouteDefinition[] {
	return [
		{
			method: 'GET',
			route: '/applications/:application_id/activity-instances/:instance_id',
			auth: true,
			handler: (request) => {
				if (request.params.application_id !== ctx.state.applicationId) throw DiscordErrors.unknownApplication();
				const instance = activities.instances.get(request.params.instance_id ?? '');
				if (instance === undefined) throw DiscordErrors.notFound();
				return {
					status: 200,
					body: {
						application_id: ctx.state.applicationId,
						instance_id: instance.instanceId,
						launch_id: instance.launchId,
						location: {
							id: `gc-${instance.guildId}-${instance.channelId}`,
							kind: 'gc',
							channel_id: instance.channelId,
							guild_id: instance.guildId
						},
						users: [...instance.userIds]
					}
				};
			}
		}
	];
}
