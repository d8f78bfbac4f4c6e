import { Listener } from '@sapphire/framework';
import { GatewayDispatchEvents, type GatewayGuildMemberRemoveDispatchData } from 'discord.js';
import { applyLeavePolicy, type LeaveOutcome } from '../lib/apply-leave-policy.js';
import { enabledSettings } from '../lib/enabled-settings.js';
import { kalturaIdentityOf } from '../lib/sync-member.js';
import userSync from '../plugin.js';

/**
 * A member left (or was kicked or banned): their Kaltura user is kept, blocked or deleted per the
 * server's `onLeave`.
 *
 * This listens to the gateway's GUILD_MEMBER_REMOVE itself rather than discord.js's
 * `guildMemberRemove`, which fires only for members discord.js had cached (the client has no
 * GuildMember partials). In a large server most members are never cached, and their leaving would go
 * unnoticed. The raw event carries all a leave needs: the guild and the user.
 */
export class MemberLeftListener extends Listener {
	public constructor(context: Listener.LoaderContext) {
		super(context, { emitter: 'ws', event: GatewayDispatchEvents.GuildMemberRemove });
	}

	public override async run(data: GatewayGuildMemberRemoveDispatchData) {
		if (data.user.bot) return;
		const settings = await enabledSettings(data.guild_id);
		if (settings === undefined) return;
		const where = `member ${data.user.id} left guild ${data.guild_id}`;
		try {
			if (settings.onLeave === 'keep') {
				this.container.logger.info(`User sync: ${where}; their Kaltura user is kept (onLeave: keep).`);
				return;
			}
			const identity = await kalturaIdentityOf(data.guild_id, data.user.id);
			const outcome = await userSync
				.services()
				.limiterFor(data.guild_id, settings.concurrency)
				.run(() => applyLeavePolicy(settings.onLeave, identity, data.guild_id, data.user.id));
			this.log(where, settings.onLeave, outcome);
		} catch (error) {
			this.container.logger.error(`User sync: ${where}; applying onLeave failed unexpectedly:`, error);
		}
	}

	private log(where: string, policy: string, outcome: LeaveOutcome): void {
		const user = `Kaltura user ${outcome.kalturaUserId}`;
		const { logger } = this.container;
		switch (outcome.kind) {
			case 'kept':
			case 'blocked':
			case 'deleted':
				return logger.info(`User sync: ${where}; ${user} ${outcome.kind} (onLeave: ${policy}).`);
			case 'absent':
				return logger.info(`User sync: ${where}; ${user} does not exist on Kaltura, nothing to ${policy}.`);
			case 'linked':
				return logger.info(
					`User sync: ${where}; ${user} is an existing account an admin linked, so it is left as it is (onLeave: ${policy}).`
				);
			case 'still-member-elsewhere':
				return logger.info(
					`User sync: ${where}; ${user} is also a member of ${outcome.guildIds.join(', ')}, so only this server was removed from it.`
				);
			case 'failed':
				return logger.warn(`User sync: ${where}; could not ${policy} ${user} (${outcome.code}): ${outcome.message}`);
		}
	}
}
