import { container } from '@sapphire/framework';
import type { Client } from 'discord.js';
import { DocumentAuditLog } from '../audit/document-audit-log.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { recordDiscordMetrics } from './discord-metrics.js';
import { defineGauge } from './instruments.js';
import { recordInteractionMetrics } from './interaction-metrics.js';

/** Whether the audit log's document store answers; undefined when the bot runs another audit log (a test's), which has none. */
function documentStoreUp(): Promise<boolean | undefined> {
	const { audit } = container;
	return audit instanceof DocumentAuditLog ? audit.storeUp() : Promise.resolve(undefined);
}

/** The core's own metrics: Discord (REST, gateway, guilds), interactions, the key/value and document stores, and in how many guilds each loaded plugin is on. */
export function recordCoreMetrics(client: Client, plugins: PluginRegistry): void {
	recordDiscordMetrics(client);
	recordInteractionMetrics(client);
	defineGauge({
		name: 'storage_up',
		help:
			"1 while the store answers, 0 otherwise; by store (keyv: the bot's key/value backend, a write and a read; " +
			'documents: the audit log on MongoDB or SQLite, a ping bounded by 2 s, or before the SQLite file exists whether DATA_DIR is writable)',
		labelNames: ['store'],
		collect: async (gauge) => {
			const [keyv, documents] = await Promise.all([
				// The readiness probe's own storage check: a write then a read of one short-lived key, bounded by its timeout.
				container.readiness.report().then((report) => report.checks.storage === true),
				documentStoreUp()
			]);
			// Set together once both have answered, so that no scrape sees one store's series missing.
			gauge.reset();
			gauge.set({ store: 'keyv' }, keyv ? 1 : 0);
			if (documents !== undefined) gauge.set({ store: 'documents' }, documents ? 1 : 0);
		}
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
