import type { DocumentAuditLog } from '../audit/document-audit-log.js';
import type { BotClient } from '../bot-client.js';
import type { Cluster } from '../cluster/cluster.js';
import type { GuildConfigService } from '../config/guild-config-service.js';
import type { Logger } from '../logger.js';
import type { PluginLifecycle } from '../plugins/plugin-lifecycle.js';
import type { BotStorage } from './storage.js';

export interface StoppableParts {
	readonly client: BotClient;
	readonly pluginLifecycle: PluginLifecycle;
	readonly audit: DocumentAuditLog;
	readonly guildConfig: GuildConfigService;
	readonly storage: BotStorage;
	readonly cluster: Cluster;
	readonly logger: Logger;
}

/** Stops the bot once: each part goes while what it still uses is there; a second call does nothing. */
export function stopSequence(parts: StoppableParts): () => Promise<void> {
	const { client, pluginLifecycle, audit, guildConfig, storage, cluster, logger } = parts;
	let stopped = false;
	return async () => {
		if (stopped) return;
		stopped = true;
		if (client.server.server.listening) await client.server.disconnect();
		// Plugins' services first, dependents before what they require, while everything they use is still there.
		await pluginLifecycle.stopAll();
		// Pieces release what they hold in onUnload (a plugin's database handle, a pass's checkpoint), as on a reload.
		await Promise.all([...client.stores.values()].map((store) => store.unloadAll()));
		// Before the client goes: log channel posts still on their way need its REST client.
		await audit.close();
		await client.destroy();
		// Once disconnected: the shards are given back so a successor takes them at once rather than after a lease.
		await cluster.leave();
		guildConfig.close();
		await storage.close();
		logger.close();
	};
}
