import './augments.js';
import { container } from '@sapphire/framework';
import { Events, GatewayIntentBits } from 'discord.js';
import type Keyv from 'keyv';
import type winston from 'winston';
import { DocumentAuditLog } from './audit/document-audit-log.js';
import { logChannelPoster } from './audit/log-channel-post.js';
import { ApiTokenService } from './auth/api-tokens.js';
import { IdentityService, type IdentityLink } from './auth/identity.js';
import { ManageServerCheck } from './auth/manage-server-check.js';
import { TokenRevocations } from './auth/token-revocations.js';
import { BotClient } from './bot-client.js';
import { CommandRegistrar } from './commands/command-registrar.js';
import { buildGuildConfigSchema, CORE_SECTIONS } from './config/guild-config-schema.js';
import { GuildConfigService } from './config/guild-config-service.js';
import { loadConfigLayers } from './config/load-config-layers.js';
import type { JsonObject } from './config/object-path.js';
import { EnvironmentError, PRIVILEGED_INTENTS, SECRET_VARIABLES, type Environment } from './env.js';
import { createLogger, SapphireWinstonLogger, type Logger } from './logger.js';
import { installCoreOverrides } from './overrides/index.js';
import { CONFIG_DIRECTORY, CORE_PIECES_DIRECTORY, PLUGINS_DIRECTORY, PROJECT_ROOT } from './paths.js';
import { discoverPlugins } from './plugins/discovery.js';
import { resolveLoadOrder } from './plugins/load-order.js';
import { collectPieces, registerPieces } from './plugins/piece-loader.js';
import { locatePluginPackages } from './plugins/plugin-packages.js';
import { PluginRuntime } from './plugins/plugin-runtime.js';
import { CORE_OWNER, PluginRegistry } from './plugins/plugin-registry.js';
import type { PluginCore } from './plugins/plugin-context.js';
import { AttachedPlugins } from './plugins/plugin-instances.js';
import { PluginLifecycle } from './plugins/plugin-lifecycle.js';
import { missingIntentRefusal, refusedRequirementRefusal, refusalForAdmins } from './plugins/refusal-words.js';
import { Readiness } from './readiness.js';
import { operatorPolicyFrom } from './policy/operator-policy.js';
import { runtimeConfigChecks } from './policy/runtime-config-check.js';
import { watchDiscordToken } from './discord/token-health.js';
import { SecretRedactor } from './redactor.js';
import { discordLoginFailure, keyvStorageStep, startupStep, type StartupStep } from './startup-failure.js';
import { backendFromEnvironment, closeKeyv, createKeyv, type KeyvBackend } from './storage/keyv-factory.js';
import { describeRedisUrl } from './storage/redis-connection.js';
import { createInvalidationBus, type InvalidationBus } from './storage/invalidation-bus.js';
import { CORE_API_VERSION } from './version.js';
import { createKalturaFacade, type KalturaAccount } from './kaltura/ks-sources.js';

/** Intents Discord grants only when enabled in the developer portal; without them it closes the connection (4014). */
const PRIVILEGED_INTENT_BITS: ReadonlySet<GatewayIntentBits> = new Set(PRIVILEGED_INTENTS.map((name) => GatewayIntentBits[name]));

/** Writes and deletes one entry, so a store that opens but cannot be written fails at start too. */
async function probeStore(store: Keyv<string>, step: StartupStep): Promise<void> {
	await startupStep(step, async () => {
		await store.set('startup-probe', String(Date.now()), 60_000);
		await store.delete('startup-probe');
	});
}

function missingPrivilegedIntent(wanted: readonly GatewayIntentBits[], granted: ReadonlySet<GatewayIntentBits>): string | undefined {
	const missing = wanted.find((intent) => PRIVILEGED_INTENT_BITS.has(intent) && !granted.has(intent));
	return missing === undefined ? undefined : GatewayIntentBits[missing];
}

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

	const backend = options.keyvBackend ?? backendFromEnvironment(env);
	const onStorageError = (error: unknown) => logger.warn('Storage error:', { error });
	// One Keyv per namespace for the whole process: a second open would, on the memory backend, be a second empty store.
	const stores = new Map<string, Keyv<unknown>>();
	const openStore = <Value>(namespace: string): Keyv<Value> => {
		let keyv = stores.get(namespace);
		if (keyv === undefined) stores.set(namespace, (keyv = createKeyv<unknown>(backend, namespace, { onError: onStorageError })));
		return keyv as Keyv<Value>;
	};
	const storageStep = keyvStorageStep(backend.kind === 'redis' ? { ...backend, display: describeRedisUrl(backend.url) } : backend);
	const bus: InvalidationBus = await startupStep(storageStep, () =>
		createInvalidationBus(backend.kind === 'redis' ? { REDIS_URL: backend.url } : {}, { onError: onStorageError })
	);
	// A store that cannot be opened or written stops the start here, naming the file or server, rather than at the first command.
	await probeStore(openStore<string>('command-registrations'), storageStep);

	const client = new BotClient({
		// Plugins refused below for a privileged intent the operator did not grant never get their intents asked for.
		intents: [
			GatewayIntentBits.Guilds,
			...order.ordered
				.flatMap(({ manifest }) => manifest.intents ?? [])
				.filter(
					(intent) =>
						!PRIVILEGED_INTENT_BITS.has(intent) || env.DISCORD_PRIVILEGED_INTENTS.some((name) => GatewayIntentBits[name] === intent)
				)
		],
		rest: { api: env.DISCORD_API_URL },
		// Discord refuses a single session for more than 2,500 guilds; take the shard count it recommends.
		shards: 'auto',
		baseUserDirectory: null,
		logger: { instance: new SapphireWinstonLogger(logger) },
		api: {
			prefix: 'api/',
			listenOptions: { host: env.API_HOST, port: env.API_PORT },
			automaticallyConnect: false,
			maximumBodyLength: 1024 * 1024
		}
	});

	// Pieces first: a plugin refused for a broken piece must not get a config section either.
	const core = await collectPieces(CORE_OWNER, CORE_PIECES_DIRECTORY, client.stores);
	if (core.problems.length > 0) {
		throw new Error(`The core's own pieces failed to load: ${core.problems.map((problem) => `${problem.file}: ${problem.reason}`).join('; ')}`);
	}
	await registerPieces(CORE_OWNER, core.pieces, client.stores, plugins);
	await installCoreOverrides(client.stores);

	const grantedIntents = new Set(env.DISCORD_PRIVILEGED_INTENTS.map((intent) => GatewayIntentBits[intent]));
	for (const plugin of order.ordered) {
		const { name } = plugin.manifest;
		const missingIntent = missingPrivilegedIntent(plugin.manifest.intents ?? [], grantedIntents);
		if (missingIntent !== undefined) {
			plugins.refuse(missingIntentRefusal(name, missingIntent));
			continue;
		}
		const refusedDependency = Object.keys(plugin.manifest.requires ?? {}).find((dependency) => !plugins.has(dependency));
		if (refusedDependency !== undefined) {
			plugins.refuse(refusedRequirementRefusal(name, refusedDependency));
			continue;
		}
		const collected = await collectPieces(name, plugin.directory, client.stores, plugin);
		if (collected.problems.length > 0) {
			plugins.refuse({ name, kind: 'broken', reason: collected.problems.map((problem) => `${problem.file} ${problem.reason}`).join('; ') });
			continue;
		}
		await registerPieces(name, collected.pieces, client.stores, plugins);
		plugins.add(plugin);
	}
	for (const refusal of plugins.refusals()) {
		// A missing privileged intent is a choice the operator made (or has yet to make), not a fault: a warning with the fix.
		if (refusal.kind === 'intent') logger.warn(`Plugin "${refusal.name}" is installed but not loaded: ${refusal.reason}.`);
		else logger.error(`Plugin "${refusal.name}" was not loaded: ${refusal.reason}.`);
	}
	for (const { manifest } of plugins.list()) logger.info(`Plugin "${manifest.name}" v${manifest.version} loaded.`);

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
		pluginLifecycle
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

	let stopped = false;
	return {
		client,
		logger,
		plugins,
		guildConfig,
		pluginLifecycle,
		prepare: () => client.prepare(),
		start: async () => {
			try {
				await client.login(env.DISCORD_TOKEN);
			} catch (error) {
				throw discordLoginFailure(error, { api: client.rest.options.api, version: client.rest.options.version }, client.ws.gateway);
			}
		},
		stop: async () => {
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
			guildConfig.close();
			await bus.close();
			await Promise.all([...stores.values()].map((store) => closeKeyv(store)));
			logger.close();
		}
	};
}
