import { Events, Listener } from '@sapphire/framework';
import type { GuildMember, PartialGuildMember } from 'discord.js';
import { enabledSettings } from '../lib/enabled-settings.js';
import { syncOnEvent } from '../lib/sync-on-event.js';

/**
 * discord.js reports an update of a member it had not cached (most members of a large server, until a
 * pass fetched them) as "available" instead of "updated", without the previous state. Whatever changed,
 * the sync compares with Kaltura and writes only when something differs.
 */
export class MemberBecameAvailableListener extends Listener<typeof Events.GuildMemberAvailable> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.GuildMemberAvailable });
	}

	public override async run(member: GuildMember | PartialGuildMember) {
		if (member.partial || member.user.bot) return;
		const settings = await enabledSettings(member.guild.id);
		if (settings === undefined) return;
		await syncOnEvent(member, settings, 'updated');
	}
}
