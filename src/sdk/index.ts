/**
 * The plugin SDK: everything a plugin may use from the core, in one module. Plugins import it as
 * `#sdk` (mapped in package.json `imports`); plugins installed as npm packages import
 * `kaltura-discord-bot/sdk`, which the bot resolves to this same module. ESLint refuses any other
 * import of `src/` from `plugins/`, so what is exported here is the whole contract between the
 * core and its plugins: adding to it is a minor version of {@link CORE_API_VERSION}, changing or
 * removing is a major one.
 */

// Declaring a plugin
export { definePlugin, type PluginManifest } from '../core/plugins/manifest.js';
export { PluginHandle, type PluginContext, type PluginLogger } from '../core/plugins/plugin-context.js';
export { CORE_API_VERSION } from '../core/version.js';

// Piece bases: slash commands, components and API routes
export { VersionedCommand } from '../core/commands/versioned-command.js';
export { PluginInteractionHandler } from '../core/discord/plugin-interaction-handler.js';
export { GuildApiRoute, PublicApiRoute, type GuildRequestContext } from '../core/api/api-route.js';

// Answering members
export { replyPrivately, codeBlock, type Answerable } from '../core/discord/replies.js';
export { configRefusalReply } from '../core/discord/config-replies.js';
export { autocompleteAllowed } from '../core/discord/autocomplete-gate.js';
export { timelyAutocompleteOf, type TimelyAutocomplete } from '../core/discord/timely-autocomplete.js';
export {
	DISCORD_LIMITS,
	escapeAndTruncate,
	escapeText,
	inlineCode,
	joinWholeItems,
	joinWithin,
	maskedLink,
	safeUrl,
	truncate,
	truncateMarkdown
} from '../core/discord/markdown.js';
export { discordTokenHealthOf } from '../core/discord/token-health.js';

// Errors meant for members and API clients: thrown by use cases, answered once by the core
export { UserFacingError, type UserFacingErrorOptions } from '../core/errors/user-facing-error.js';
export { userFacingFailure, withUserFacingFailures } from '../core/errors/kaltura-failure.js';

// The HTTP API
export { ApiError, sendApiError } from '../core/api/api-error.js';
export { readRawBody } from '../core/api/read-json-body.js';
export { readValidatedJson } from '../core/api/read-validated-json.js';
export { CountedLog } from '../core/api/counted-log.js';

// Guild config, the operator's bounds on it, and the audit log
export { ConfigValidationError, type ConfigIssue, type GuildConfig } from '../core/config/guild-config-schema.js';
export { ConfigPolicyError, auditConfigRefusal, type RuntimeConfigCheck } from '../core/policy/runtime-config-check.js';
export { operatorPolicy, type OperatorPolicy } from '../core/policy/operator-policy.js';
export { isServedGuild } from '../core/policy/guild-allowlist.js';
export { LinkPolicyError, checkedLink, linkTemplateProblem } from '../core/policy/link-url.js';
export { watchLinkFrom, watchUrlTemplateSchema } from '../core/policy/watch-url-template.js';
export type { AuditSource } from '../core/audit/audit-log.js';
export type { IdentityService } from '../core/auth/identity.js';

// Kaltura
export { KalturaError, toKalturaError } from '../core/kaltura/kaltura-error.js';
export { MEMBER_KS_MAX_SECONDS, MEMBER_KS_MIN_SECONDS, type AdminScope, KalturaFacade, type UserSession } from '../core/kaltura/kaltura-facade.js';
export type { BatchItemOutcome } from '../core/kaltura/kaltura-batch.js';
/** Typed Kaltura services: `facade.admin(scope, kalturaServices.scheduleEvent.get(id))`, answers parsed. */
export * as kalturaServices from '../core/kaltura/services/index.js';
export { KalturaResponseError, type KalturaRequest } from '../core/kaltura/services/kaltura-request.js';

// Redis, for a plugin that shares live state between the bot's processes (REDIS_URL): the core's connection settings
// (fail fast, bounded reconnects), so an outage looks the same in a plugin as in the core
export { closeRedisClient, connectWithin, describeRedisUrl, failFastClientOptions, type RedisClient } from '../core/storage/redis-connection.js';

// A plugin's own documents where the core keeps its own (MongoDB with MONGODB_URL, else an SQLite file in DATA_DIR)
export { DocumentStoreConnection, type DocumentStoreLocation, type DocumentStoreOpeners } from '../core/storage/document-store-connection.js';

// Command-line tools a plugin ships (they run outside the bot, from the operator's environment)
export { parseEnvironment, mongoDatabaseOf } from '../core/env.js';
export { kalturaFacadeFromEnvironment } from '../core/kaltura/facade-from-environment.js';

// Metrics: declare at module level, record where the event happens; no-ops unless the metrics plugin runs
export {
	defineCounter,
	defineGauge,
	defineHistogram,
	botMetrics,
	type CounterInstrument,
	type GaugeInstrument,
	type HistogramInstrument,
	type MetricLabels
} from '../core/metrics/instruments.js';
export type { BotMetrics, GaugeSpec, HistogramSpec, MetricSpec } from '../core/metrics/bot-metrics.js';

// Per-server usage (the server's own /stats): record where the event happens; a no-op unless a listener is registered
export { recordUsage, setUsageListener, type UsageDetail, type UsageEvent, type UsageListener } from '../core/metrics/usage.js';
