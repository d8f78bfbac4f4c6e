import { Events, Listener } from '@sapphire/framework';
import type { Client } from 'discord.js';
import { tellOwnerIfNotServed } from '../core/policy/guild-allowlist.js';
import { operatorPolicy } from '../core/policy/operator-policy.js';

/**
 * On connecting: warns the operator when every server may use the bot, and otherwise finds the servers
 * the bot is in but does not serve (added while it was offline, or removed from ALLOWED_GUILD_IDS).
 */
export class GuildAllowlistReadyListener extends Listener<typeof Events.ClientReady> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.ClientReady });
	}

	public override async run(client: Client<true>) {
		const policy = operatorPolicy();
		if (policy.allowedGuildIds === undefined) {
			this.container.logger.warn(
				`ALLOWED_GUILD_IDS is not set: any Discord server that adds this bot can use it and create objects (meetings, users) on Kaltura partner ${policy.partnerId}. List the servers it should serve in ALLOWED_GUILD_IDS.`
			);
			return;
		}
		for (const guild of client.guilds.cache.values()) await tellOwnerIfNotServed(guild);
	}
}
