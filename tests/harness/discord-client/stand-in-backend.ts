import type { DiscordStandIn } from '../discord/index.js';
import type { ClientUser, FrameHostBackend } from './frame-host.js';

/** Discord's example token lifetime (developers/topics/oauth2.mdx), which AUTHENTICATE reports as `expires`. */
const TOKEN_LIFETIME_MS = 604_800_000;

/** A user of the Discord stand-in as the client shows them to an activity. */
export function clientUserOf(discord: DiscordStandIn, userId: string): ClientUser {
	const user = discord.state.requireUser(userId);
	return { id: user.id, username: user.username, globalName: user.global_name ?? null };
}

/**
 * The Discord client's backend for one member in one activity instance, taken from the Discord stand-in: AUTHORIZE
 * gets a code from the stand-in's OAuth2 (the same codes its `POST /oauth2/token` exchanges), AUTHENTICATE checks an
 * access token the stand-in issued, and the participants are the instance's users there.
 */
export function standInBackend(discord: DiscordStandIn, instanceId: string, userId: string): FrameHostBackend {
	return {
		authorize: ({ scopes }) => Promise.resolve(discord.activities.issueOAuthCode(userId, scopes)),
		tokenInfo: (accessToken) => {
			const grant = discord.activities.accessTokens.get(accessToken);
			return Promise.resolve(
				grant === undefined
					? undefined
					: { userId: grant.userId, scopes: grant.scopes, expires: new Date(Date.now() + TOKEN_LIFETIME_MS).toISOString() }
			);
		},
		participants: () => {
			const instance = discord.activities.instances.get(instanceId);
			return [...(instance?.userIds ?? [])].map((id) => clientUserOf(discord, id));
		}
	};
}
