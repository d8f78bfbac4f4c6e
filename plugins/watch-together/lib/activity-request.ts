import type { ApiRequest } from '@sapphire/plugin-api';
import { ApiError } from '#sdk';
import watchTogether from '../plugin.js';
import { guildRoomPolicy } from './guild-room-policy.js';
import { apiErrorOfDiscordFailure } from './discord-failure.js';
import type { WatchTogetherServices } from './services.js';
import { bearerTokenOf, verifySessionToken, type ActivitySession } from './session-token.js';

/** The plugin's services, or 503 while it is not running (before the bot is connected, or stopping). */
export function runningServices(): WatchTogetherServices {
	if (!watchTogether.isRunning()) throw new ApiError(503, 'activity_unavailable', 'Watch together is not running right now; try again shortly.');
	return watchTogether.services();
}

/**
 * The member behind a request of the Activity: a session token this bot signed (never an API token: another audience),
 * for a served server with the plugin on, and an instance Discord still counts them in (asked again, cached a few
 * seconds). 401 for a missing, forged or expired token; 403 for the rest.
 */
export async function activitySessionOf(request: ApiRequest): Promise<ActivitySession> {
	const services = runningServices();
	const token = bearerTokenOf(request.headers.authorization);
	const session = token === undefined ? undefined : verifySessionToken(services.sessionSecret, token);
	if (session === undefined) throw new ApiError(401, 'unauthorized', 'Send the Activity session token: "Authorization: Bearer <token>".');
	if (!(await guildRoomPolicy.admits(session.guildId)))
		throw new ApiError(403, 'plugin_disabled', 'Watch together is not available in this server.');
	if (services.discord === undefined) throw new ApiError(503, 'activity_not_configured', 'The bot’s operator has not set up the Activity.');
	let member: boolean;
	try {
		member = await services.discord.membership.includes(session.instanceId, session.userId, session.guildId);
	} catch (error) {
		throw apiErrorOfDiscordFailure(error);
	}
	if (!member) throw new ApiError(403, 'not_in_instance', 'You are not in this Activity.');
	return session;
}
