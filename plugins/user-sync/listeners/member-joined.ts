import { Events, Listener } from '@sapphire/framework';
import type { GuildMember } from 'discord.js';
import { enabledSettings } from '../lib/enabled-settings.js';
import { syncOnEvent } from '../lib/sync-on-event.js';

/** A member joined: their Kaltura user is created (or brought up to date and re-activated, if they were here before). */
export class MemberJoinedListener extends Listener<typeof Events.GuildMemberAdd> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.GuildMemberAdd });
	}

	public override async run(member: GuildMember) {
		if (member.user.bot) return;
		const settings = await enabledSettings(member.guild.id);
		if (settings === undefined) return;
		await syncOnEvent(member, settings, 'joined');
	}
}
