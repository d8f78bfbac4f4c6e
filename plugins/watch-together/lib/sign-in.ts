import { ApiError } from '#sdk';
import { guildRoomPolicy } from './guild-room-policy.js';
import { apiErrorOfDiscordFailure } from './discord-failure.js';
import { runningServices } from './activity-request.js';
import { issueSessionToken, SESSION_LIFETIME_SECONDS } from './session-token.js';
import { instanceIdSchema } from './sign-in-input.js';

export interface SignedIn {
	readonly accessToken: string;
	readonly sessionToken: string;
	readonly expiresIn: number;
	readonly user: { readonly id: string; readonly username: string };
	readonly instance: { readonly id: string; readonly guildId: string; readonly channelId: string };
}

/**
 * Exchanges the Activity's OAuth2 code at Discord, asks who the user is and whether they are in the instance, and signs
 * a session for that instance. Undefined when Discord refuses the code; ApiError for the other refusals.
 */
export async function exchangeActivityCode(code: string, instanceId: string): Promise<SignedIn | undefined> {
	const services = runningServices();
	if (services.discord === undefined) throw new ApiError(503, 'activity_not_configured', 'The bot’s operator has not set up the Activity.');
	const { api } = services.discord;
	if (!instanceIdSchema.safeParse(instanceId).success) throw new ApiError(400, 'invalid_instance', 'That is not an Activity instance id.');
	try {
		const token = await api.exchangeCode(code);
		if (token === undefined) return undefined;
		const user = await api.currentUser(token.access_token);
		// Asked fresh, not from the membership cache: signing in is when a member proves they are there.
		const instance = await api.activityInstance(instanceId);
		// The session names the instance asked for: Discord's answer must be about that very one.
		if (instance === undefined || instance.instanceId !== instanceId)
			throw new ApiError(404, 'unknown_instance', 'Discord knows no such Activity instance.');
		if (!instance.userIds.includes(user.id)) throw new ApiError(403, 'not_in_instance', 'You are not in this Activity.');
		if (instance.guildId === undefined || !(await guildRoomPolicy.admits(instance.guildId)))
			throw new ApiError(403, 'plugin_disabled', 'Watch together is not available in this server.');
		const session = { userId: user.id, instanceId, guildId: instance.guildId, channelId: instance.channelId };
		return {
			accessToken: token.access_token,
			sessionToken: issueSessionToken(services.sessionSecret, session),
			expiresIn: SESSION_LIFETIME_SECONDS,
			user: { id: user.id, username: user.username },
			instance: { id: instanceId, guildId: instance.guildId, channelId: instance.channelId }
		};
	} catch (error) {
		throw apiErrorOfDiscordFailure(error);
	}
}
