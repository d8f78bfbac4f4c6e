import { Events, Listener } from '@sapphire/framework';
import type { Guild } from 'discord.js';
import { tellOwnerIfNotServed } from '../core/policy/guild-allowlist.js';

/** A server outside ALLOWED_GUILD_IDS adds the bot: its owner is told, once, that it is not enabled there. */
export class GuildAllowlistJoinListener extends Listener<typeof Events.GuildCreate> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.GuildCreate });
	}

	public override async run(guild: Guild) {
		await tellOwnerIfNotServed(guild);
	}
}
