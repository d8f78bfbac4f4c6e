import { Events, Listener } from '@sapphire/framework';
import type { Client } from 'discord.js';

/**
 * Replaces Sapphire's `CoreReady`, whose registry run would fetch and diff every command on each
 * start; the core's version-driven registrar publishes commands instead (see CommandRegistrar).
 */
export class CoreReadyListener extends Listener<typeof Events.ClientReady> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.ClientReady, once: true });
	}

	public override async run(client: Client<true>) {
		this.container.client.id ??= client.user.id;
		const { logger, commandRegistrar, stores, cluster } = this.container;
		logger.info(`Logged in as ${client.user.tag}; serving ${client.guilds.cache.size} guild(s).`);
		// One set of commands per application: published once, by the process running shard 0, not by every process.
		if (!cluster.publishesCommands) {
			logger.info('Application commands are published by the process running shard 0; this process leaves them as they are.');
			return;
		}
		try {
			const outcome = await commandRegistrar.synchronize(client, stores.get('commands'));
			logger.info(
				outcome.action === 'unchanged'
					? 'Application commands are up to date; nothing sent to Discord.'
					: `Registered ${outcome.count} application command(s) with Discord.`
			);
		} catch (error) {
			logger.error('Registering application commands failed; the previous registration stays in effect:', error);
		}
	}
}
