import { randomBytes } from 'node:crypto';
import type { APIUser } from 'discord-api-types/v10';
import type { SnowflakeGenerator } from '../snowflake.js';
import type { DiscordState } from '../state.js';

/**
 * Discord's Activities as the bot's backend sees them: running instances (who is in each), and the OAuth2 authorization
 * codes and access tokens of the Activity's sign-in.
 *
 * An instance id looks like Discord's, `i-<launch_id>-gc-<guild_id>-<channel_id>`, and the instance object like "Get
 * Application Activity Instance" answers it: application_id, instance_id, launch_id, location {id, kind 'gc',
 * channel_id, guild_id}, users (discord-api-docs developers/resources/application.mdx; example ids in
 * developers/activities/development-guides/multiplayer-experience.mdx). `users` are the users connected to it now.
 */
export interface ActivityInstanceRecord {
	readonly instanceId: string;
	readonly launchId: string;
	readonly guildId: string;
	readonly channelId: string;
	readonly userIds: Set<string>;
}

export interface OAuthGrant {
	readonly userId: string;
	readonly scopes: readonly string[];
}

export interface StartActivityInput {
	readonly guildId: string;
	readonly channelId: string;
	readonly userIds: readonly string[];
}

export class ActivityState {
	/** Whether the application has Activities enabled (developer portal → Activities); without, LAUNCH_ACTIVITY is refused. */
	public enabled = true;
	/** The application's OAuth2 client secret (developer portal → OAuth2), which `POST /oauth2/token` checks. */
	public clientSecret = randomBytes(24).toString('base64url');
	public readonly instances = new Map<string, ActivityInstanceRecord>();
	/** Authorization codes not yet exchanged; each works once. */
	public readonly codes = new Map<string, OAuthGrant>();
	public readonly accessTokens = new Map<string, OAuthGrant>();

	public constructor(
		private readonly state: DiscordState,
		private readonly ids: SnowflakeGenerator
	) {}

	/** What the Activity's `authorize()` hands back: a code Discord issued to this application for `userId`. */
	public issueOAuthCode(userId: string, scopes: readonly string[] = ['identify']): string {
		this.state.requireUser(userId);
		const code = randomBytes(15).toString('base64url');
		this.codes.set(code, { userId, scopes: [...scopes] });
		return code;
	}

	/** An Activity running in a channel with these users in it (started from the channel's Activities menu, say). */
	public startActivity(input: StartActivityInput): ActivityInstanceRecord {
		if (this.state.guildIdOfChannel(input.channelId) !== input.guildId)
			throw new Error(`Discord stand-in: channel ${input.channelId} is not in guild ${input.guildId}`);
		const launchId = this.ids.next();
		const instance: ActivityInstanceRecord = {
			instanceId: `i-${launchId}-gc-${input.guildId}-${input.channelId}`,
			launchId,
			guildId: input.guildId,
			channelId: input.channelId,
			userIds: new Set(input.userIds)
		};
		this.instances.set(instance.instanceId, instance);
		return instance;
	}

	/**
	 * LAUNCH_ACTIVITY by `userId` in a channel: joins the instance already running there ("launched or joined",
	 * developers/interactions/receiving-and-responding.mdx, Interaction Callback Object) or starts one.
	 */
	public launch(guildId: string, channelId: string, userId: string): ActivityInstanceRecord {
		const running = [...this.instances.values()].find((instance) => instance.channelId === channelId && instance.userIds.size > 0);
		if (running !== undefined) {
			running.userIds.add(userId);
			return running;
		}
		return this.startActivity({ guildId, channelId, userIds: [userId] });
	}

	public join(instanceId: string, userId: string): void {
		this.requireInstance(instanceId).userIds.add(userId);
	}

	/** The user closes the Activity; an instance nobody is in ends (Get Application Activity Instance answers 404). */
	public leave(instanceId: string, userId: string): void {
		const instance = this.requireInstance(instanceId);
		instance.userIds.delete(userId);
		if (instance.userIds.size === 0) this.instances.delete(instanceId);
	}

	public requireInstance(instanceId: string): ActivityInstanceRecord {
		const instance = this.instances.get(instanceId);
		if (instance === undefined) throw new Error(`Discord stand-in: no activity instance ${instanceId}`);
		return instance;
	}

	public userOfToken(accessToken: string): APIUser | undefined {
		const grant = this.accessTokens.get(accessToken);
		return grant === undefined ? undefined : this.state.users.get(grant.userId);
	}
}
