import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError, GuildApiRoute, type GuildRequestContext } from '#sdk';
import notifications from '../plugin.js';

/** The plugin's store, or a 503 while the plugin is not running (before the bot is connected to Discord). */
function storeOrUnavailable() {
	if (!notifications.isRunning()) throw new ApiError(503, 'store_unavailable', 'The notification store is not open yet; try again in a minute.');
	return notifications.services().store.open();
}

/**
 * `GET /api/v1/guilds/:guildId/notifications/deliveries?limit=1..100` (default 50): the guild's newest
 * deliveries, newest first, without the message bodies.
 */
export class NotificationDeliveriesRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/notifications/deliveries', methods: ['GET'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse, { guildId }: GuildRequestContext) {
		const raw = request.query.limit;
		const text = Array.isArray(raw) ? raw[0] : raw;
		const limit = text === undefined || text === '' ? 50 : Number(text);
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new ApiError(400, 'invalid_limit', 'limit must be an integer from 1 to 100.');
		const rows = await (await storeOrUnavailable()).deliveriesOf(guildId, limit);
		response.ok({
			deliveries: rows.map((row) => ({
				id: row.id,
				eventKey: row.event_key,
				eventType: row.event_type,
				channelId: row.channel_id,
				status: row.status,
				attempts: row.attempts,
				lastError: row.last_error,
				createdAt: new Date(row.created_at).toISOString(),
				updatedAt: new Date(row.updated_at).toISOString()
			}))
		});
	}
}
