import { Events, Listener } from '@sapphire/framework';
import type { Guild } from 'discord.js';
import metrics from '../plugin.js';

/**
 * The server removed the bot (or was deleted): its usage goes with it. An outage is not this event: discord.js emits
 * `guildUnavailable` for a GUILD_DELETE marked unavailable (discord.js src/client/actions/GuildDelete.js).
 */
export class GuildRemovedListener extends Listener<typeof Events.GuildDelete> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.GuildDelete });
	}

	public override async run(guild: Guild) {
		if (!metrics.isRunning()) return;
		try {
			await metrics.services().usage.forget(guild.id);
		} catch (error) {
			this.container.logger.warn(`Metrics: the usage of guild ${guild.id}, which removed the bot, could not be deleted:`, error);
		}
	}
}
