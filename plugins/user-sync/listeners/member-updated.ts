import { Events, Listener } from '@sapphire/framework';
import type { GuildMember, PartialGuildMember } from 'discord.js';
import { enabledSettings } from '../lib/enabled-settings.js';
import { syncOnEvent } from '../lib/sync-on-event.js';

/**
 * A member's roles or nickname changed: their Kaltura role or name may have. Other member updates
 * (avatar, timeouts, boosting) change nothing on Kaltura and cost no call.
 */
export class MemberUpdatedListener extends Listener<typeof Events.GuildMemberUpdate> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.GuildMemberUpdate });
	}

	public override async run(before: GuildMember | PartialGuildMember, after: GuildMember) {
		if (after.user.bot || !changedForKaltura(before, after)) return;
		const settings = await enabledSettings(after.guild.id);
		if (settings === undefined) return;
		await syncOnEvent(after, settings, 'roles or nickname changed');
	}
}

function changedForKaltura(before: GuildMember | PartialGuildMember, after: GuildMember): boolean {
	if (before.partial) return true;
	if (before.nickname !== after.nickname) return true;
	const roles = before.roles.cache;
	return roles.size !== after.roles.cache.size || after.roles.cache.some((_role, id) => !roles.has(id));
}
