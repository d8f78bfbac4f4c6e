import type { Environment } from './env.js';
import type { GuildConfigService } from './config/guild-config-service.js';
import type { PluginRegistry } from './plugins/plugin-registry.js';
import type { ApiTokenService } from './auth/api-tokens.js';
import type { GuildRightsCheck } from './auth/manage-server-check.js';
import type { TokenRevocations } from './auth/token-revocations.js';
import type { SecretRedactor } from './redactor.js';
import type { CommandRegistrar } from './commands/command-registrar.js';
import type { Readiness } from './readiness.js';
import type { Cluster } from './cluster/cluster.js';
import type { KalturaFacade } from './kaltura/kaltura-facade.js';
import type { IdentityService } from './auth/identity.js';
import type Keyv from 'keyv';
import type { AuditLog } from './audit/audit-log.js';
import type { PluginLifecycle } from './plugins/plugin-lifecycle.js';
import type { BotMetrics } from './metrics/bot-metrics.js';

/** Services the core puts on Sapphire's container for every piece, the core's and the plugins'. */
declare module '@sapphire/pieces' {
	interface Container {
		env: Environment;
		redactor: SecretRedactor;
		guildConfig: GuildConfigService;
		plugins: PluginRegistry;
		apiTokens: ApiTokenService;
		/** Revoked API tokens (a guild's all at once, or one by id), shared by every instance. */
		tokenRevocations: TokenRevocations;
		/** Whether a token's user still holds Manage Server in its guild; asked on every guild API request. */
		guildRights: GuildRightsCheck;
		commandRegistrar: CommandRegistrar;
		readiness: Readiness;
		kaltura: KalturaFacade;
		identity: IdentityService;
		/** Every admin action and operator-policy refusal, recorded once (src/core/audit). */
		audit: AuditLog;
		/** Key/value stores for plugins, on the bot's backend (Redis, the SQLite file, or memory in tests), closed on shutdown. */
		storage: { open<Value>(namespace: string): Keyv<Value> };
		/** Plugins' start and stop hooks (started once connected to Discord, stopped by the bot's stop). */
		pluginLifecycle: PluginLifecycle;
		/** This process among the bot's processes: its shards, shared identifies, periodic jobs run once per period. */
		cluster: Cluster;
		/** The bot's Prometheus registry; recording while the metrics plugin runs, no-op instruments otherwise (src/core/metrics). */
		metrics: BotMetrics;
	}
}

export {};
