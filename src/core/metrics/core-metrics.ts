import { container } from '@sapphire/framework';
import type { Client } from 'discord.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { recordDiscordMetrics } from './discord-metrics.js';
import { defineGauge } from './instruments.js';
import { recordInteractionMetrics } from './interaction-metrics.js';

/** The core's own metrics: Discord (REST, gateway, guilds), interactions, the key/value store, and in how many guilds each loaded plugin is on. */
export function recordCoreMetrics(client: Client, plugins: PluginRegistry): void {
	recordDiscordMetrics(client);
	recordInteractionMetrics(client);
	defineGauge({
		name: 'storage_up',
		help: "1 while the store answers a write and a read, 0 otherwise; by store (keyv: the bot's key/value backend)",
		labelNames: ['store'],
		// The readiness probe's own storage check: a write then a read of one short-lived key, bounded by its timeout.
		collect: async (gauge) => gauge.set({ store: 'keyv' }, (await container.readiness.report()).checks.storage === true ? 1 : 0)
	});
	defineGauge({
		name: 'plugin_enabled_guilds',
		help: 'Guilds the bot is in where the plugin is on, by plugin',
		labelNames: ['plugin'],
		collect: async (gauge) => {
			const { guildConfig } = container;
			const configs = await Promise.all(client.guilds.cache.map((guild) => guildConfig.cached(guild.id) ?? guildConfig.resolve(guild.id)));
			gauge.reset();
			for (const { manifest } of plugins.list())
				gauge.set({ plugin: manifest.name }, configs.filter((config) => guildConfig.isPluginEnabled(config, manifest.name)).length);
		}
	});
}
