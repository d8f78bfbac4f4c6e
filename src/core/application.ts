import './augments.js';
import { container } from '@sapphire/framework';
import { Events } from 'discord.js';
import type winston from 'winston';
import { DocumentAuditLog } from './audit/document-audit-log.js';
import { logChannelPoster } from './audit/log-channel-post.js';
import { ApiTokenService } from './auth/api-tokens.js';
import { IdentityService, type IdentityLink } from './auth/identity.js';
import { ManageServerCheck } from './auth/manage-server-check.js';
import { TokenRevocations } from './auth/token-revocations.js';
import type { BotClient } from './bot-client.js';
import { constructClient } from './bootstrap/client.js';
import { Cluster } from './cluster/cluster.js';
import { loadPieces } from './bootstrap/plugin-loading.js';
import { stopSequence } from './bootstrap/stop-sequence.js';
import { openBotStorage } from './bootstrap/storage.js';
import { CommandRegistrar } from './commands/command-registrar.js';
import { buildGuildConfigSchema, CORE_SECTIONS } from './config/guild-config-schema.js';
import { GuildConfigService } from './config/guild-config-service.js';
import { loadConfigLayers } from './config/load-config-layers.js';
import type { JsonObject } from './config/object-path.js';
import { EnvironmentError, SECRET_VARIABLES, type Environment } from './env.js';
import { createLogger, SapphireWinstonLogger, type Logger } from './logger.js';
import { CONFIG_DIRECTORY, PLUGINS_DIRECTORY, PROJECT_ROOT } from './paths.js';
import { discoverPlugins } from './plugins/discovery.js';
import { resolveLoadOrder } from './plugins/load-order.js';
import { locatePluginPackages } from './plugins/plugin-packages.js';
import { PluginRuntime } from './plugins/plugin-runtime.js';
import { PluginRegistry } from './plugins/plugin-registry.js';
import type { PluginCore } from './plugins/plugin-context.js';
import { AttachedPlugins } from './plugins/plugin-instances.js';
import { PluginLifecycle } from './plugins/plugin-lifecycle.js';
import { refusalForAdmins } from './plugins/refusal-words.js';
import { Readiness } from './readiness.js';
import { operatorPolicyFrom } from './policy/operator-policy.js';
import { runtimeConfigChecks } from './policy/runtime-config-check.js';
import { watchDiscordToken } from './discord/token-health.js';
import { SecretRedactor } from './redactor.js';
import { discordLoginFailure } from './startup-failure.js';
import { backendFromEnvironment, type KeyvBackend } from './storage/keyv-factory.js';
import { CORE_API_VERSION } from './version.js';
import { createKalturaFacade, type KalturaAccount } from './kaltura/ks-sources.js';
import { BotMetrics } from './metrics/bot-metrics.js';
import { metricDefinitions } from './metrics/instruments.js';
import { recordCoreMetrics } from './metrics/core-metrics.js';

export interface BotOptions {
	readonly env: Environment;
	/** Folders holding one folder per plugin; the project's `plugins/` by default. */
	readonly pluginRoots?: readonly string[];
	/** Holds `default_config.json` and `overrides/`; the project's `config/` by default. */
	readonly configDirectory?: string;
	/** Where Keyv data lives; chosen from the environment by default (Redis, else a SQLite file). */
	readonly keyvBackend?: KeyvBackend;
	/** Extra log outputs (tests read the log back through one). */
	readonly logTransports?: winston.transport[];
	/** Environment used to fill `{{NAME}}` placeholders in config files; the process environment by default. */
	readonly placeholderEnvironment?: Readonly<Record<string, string | undefined>>;
	/** Where plugins' own environment variables (their manifests' `environment`) are read; the process environment by default. */
	readonly pluginEnvironment?: Readonly<Record<string, string | undefined>>;
}

export interface Bot {
	readonly client: BotClient;
	readonly logger: Logger;
	readonly plugins: PluginRegistry;
	readonly guildConfig: GuildConfigService;
	/** Plugins' start and stop hooks: run once connected to Discord, and by `stop`. */
	readonly pluginLifecycle: PluginLifecycle;
	/** Loads every piece and opens the API without connecting to Discord. */
	prepare(): Promise<void>;
	/** `prepare`, then connects to the gateway. */
	start(): Promise<void>;
	stop(): Promise<void>;
	/** Settles only if this process loses a shard it runs to another (its lease ran out): it must stop, as another may answer for it. */
	readonly lost: Promise<Error>;
}

/**
 * Builds the whole bot from its environment: logging, storage, plugins, guild config and the
 * Sapphire client with every piece registered. `npm start` and the tests go through here alike.
 */
export async function createBot(options: BotOptions): Promise<Bot> {
	const { env } = options;
	const redactor = new SecretRedactor(SECRET_VARIABLES.map((name) => env[name]));
	const logger = createLogger({
		level: env.LOG_LEVEL,
		json: env.NODE_ENV === 'production',
		redactor,
		...(options.logTransports ? { transports: options.logTransports } : {})
	});

	// Plugin packages are found in the node_modules of PLUGIN_PACKAGES_DIR, the checkout's own by default.
	const packagesDirectory = env.PLUGIN_PACKAGES_DIR ?? PROJECT_ROOT;
	const discovery = await discoverPlugins(
		options.pluginRoots ?? [PLUGINS_DIRECTORY],
		await locatePluginPackages(env.PLUGIN_PACKAGES, packagesDirectory)
	);
	const order = resolveLoadOrder(discovery.found, CORE_API_VERSION);
	const plugins = new PluginRegistry();
	for (const refusal of [...discovery.refused, ...order.refused]) plugins.refuse(refusal);

	const storage = await openBotStorage(options.keyvBackend ?? backendFromEnvironment(env), logger);
	const { openStore, bus } = storage;

	const cluster = await Cluster.open(env, logger);
	const client = constructClient(env, order.ordered, logger, cluster);
	// Before any piece loads: the bot's own registry replaces the previous bot's (tests build several in one process).
	container.metrics = new BotMetrics(metricDefinitions);
	recordCoreMetrics(client, plugins);
	await loadPieces(client, order.ordered, plugins, env, logger);

	// Plugins read the core through their handles; the guild config service is made below, so asked for at each use.
	const built: { guildConfig?: GuildConfigService } = {};
	const pluginCore: PluginCore = {
		loggerFor: (plugin) => new SapphireWinstonLogger(logger.child({ plugin })),
		environmentSource: options.pluginEnvironment ?? process.env,
		guildConfig: () => {
			if (built.guildConfig === undefined) throw new Error('Guild config is read before the bot has built it.');
			return built.guildConfig;
		},
		openStore,
		claimRun: (job, periodMs) => cluster.runs.claim(job, periodMs),
		client
	};
	const attachedPlugins = new AttachedPlugins(plugins, pluginCore, (secret) => redactor.addSecret(secret));
	const environmentProblems = attachedPlugins.attachAll();
	if (environmentProblems.length > 0) throw new EnvironmentError(environmentProblems);
	const pluginLifecycle = new PluginLifecycle(attachedPlugins, new SapphireWinstonLogger(logger));
	// Every ready (a login after a stop included); plugins already running are left as they are.
	client.on(Events.ClientReady, () => void pluginLifecycle.startAll());

	const manifests = plugins.list().map(({ manifest }) => manifest);
	const schema = buildGuildConfigSchema(manifests);
	const layers = await loadConfigLayers({
		directory: options.configDirectory ?? CONFIG_DIRECTORY,
		schema,
		inactiveSections: new Set(plugins.refusals().map((refusal) => refusal.name)),
		environment: options.placeholderEnvironment ?? process.env,
		logger
	});
	const guildConfig = await GuildConfigService.create({
		...layers,
		schema,
		store: openStore<JsonObject>('guild-config'),
		bus,
		sections: new Set([...CORE_SECTIONS, ...manifests.map((manifest) => manifest.name)]),
		pluginNames: new Set(manifests.map((manifest) => manifest.name)),
		requirements: new Map(manifests.map((manifest) => [manifest.name, Object.keys(manifest.requires ?? {})])),
		// A refused duplicate folder may share its name with a plugin that did load: that one is loaded.
		notLoaded: new Map(
			plugins
				.refusals()
				.filter((refusal) => !plugins.has(refusal.name))
				.map((refusal) => [refusal.name, refusalForAdmins(refusal, plugins.refusals())])
		),
		onStoredOverrideInvalid: (guildId, error) =>
			logger.warn(
				`The stored configuration of guild ${guildId} is no longer valid (${error.message}); it runs on its files until an admin fixes it.`
			),
		runtimeChecks: runtimeConfigChecks(manifests, operatorPolicyFrom(env))
	});
	built.guildConfig = guildConfig;

	const registrationStore = openStore<string>('command-registrations');
	const readiness = new Readiness()
		.add({ name: 'gateway', check: () => Promise.resolve(client.isReady()) })
		.add(watchDiscordToken(client, logger).readinessCheck())
		.add({
			name: 'storage',
			check: async () => {
				await registrationStore.set('readiness-probe', String(Date.now()), 10_000);
				return (await registrationStore.get('readiness-probe')) !== undefined;
			}
		});

	const tokenRevocations = await TokenRevocations.create({ store: openStore('api-token-revocations'), bus });

	// No credential in the account the facade keeps: the admin secret or app token goes to the KS source alone.
	const publicAccount: KalturaAccount = {
		serviceUrl: env.KALTURA_SERVICE_URL,
		partnerId: env.KALTURA_PARTNER_ID,
		timeoutMs: env.KALTURA_TIMEOUT_MS
	};

	// Opened on first entry; posts to a guild's log channel go through the bot's own REST client.
	const audit = new DocumentAuditLog({
		location: env,
		retentionDays: env.AUDIT_RETENTION_DAYS,
		redactor,
		logger,
		post: logChannelPoster(client.rest)
	});

	Object.assign(container, {
		storage: { open: openStore },
		// The bot's own sessions and members' join-link sessions come from separate sources (see docs/kaltura-sessions.md).
		kaltura: createKalturaFacade(publicAccount, env),
		identity: new IdentityService(openStore<IdentityLink>('identity-links'), env.KALTURA_USER_ID_PREFIX),
		env,
		redactor,
		guildConfig,
		plugins,
		apiTokens: new ApiTokenService(env.JWT_SECRET),
		tokenRevocations,
		guildRights: new ManageServerCheck(client),
		commandRegistrar: new CommandRegistrar(registrationStore),
		readiness,
		audit,
		pluginLifecycle,
		cluster
	});

	// The operator's switch (`/api/v1/operator/plugins`): loads, unloads and reloads plugins while the bot runs.
	container.pluginRuntime = new PluginRuntime({
		client,
		registry: plugins,
		guildConfig,
		commandRegistrar: container.commandRegistrar,
		config: {
			directory: options.configDirectory ?? CONFIG_DIRECTORY,
			environment: options.placeholderEnvironment ?? process.env,
			logger,
			policy: operatorPolicyFrom(env)
		},
		sources: {
			discovered: discovery.found,
			pluginRoots: options.pluginRoots ?? [PLUGINS_DIRECTORY],
			packages: { names: env.PLUGIN_PACKAGES, directory: packagesDirectory }
		},
		grantedIntents: env.DISCORD_PRIVILEGED_INTENTS,
		logger,
		lifecycle: pluginLifecycle,
		attach: (name) => void attachedPlugins.instanceOf(name)
	});

	let shardsLost: (error: Error) => void = () => undefined;
	const lost = new Promise<Error>((resolve) => (shardsLost = resolve));
	// Off the gateway at once, before the graceful stop: another process may already be answering for these shards.
	const loseShards = (error: Error) => {
		void client.destroy().catch((failure: unknown) => logger.warn('Leaving the gateway after losing the shards failed:', { error: failure }));
		shardsLost(error);
	};
	return {
		client,
		logger,
		lost,
		plugins,
		guildConfig,
		pluginLifecycle,
		prepare: () => client.prepare(),
		start: async () => {
			await cluster.join(client, loseShards);
			try {
				await client.login(env.DISCORD_TOKEN);
			} catch (error) {
				throw discordLoginFailure(error, { api: client.rest.options.api, version: client.rest.options.version }, client.ws.gateway);
			}
		},
		stop: stopSequence({ client, pluginLifecycle, audit, guildConfig, storage, cluster, logger })
	};
}
