import type { ILogger } from '@sapphire/framework';
import type { Client } from 'discord.js';
import type Keyv from 'keyv';
import type { z } from 'zod';
import type { GuildConfig } from '../config/guild-config-schema.js';
import type { GuildConfigService } from '../config/guild-config-service.js';
import type { PluginManifest } from './manifest.js';
import { parsePluginEnvironment } from './plugin-environment.js';

/** A plugin's logger: the core's, with every line labelled with the plugin's name. */
export type PluginLogger = Pick<ILogger, 'debug' | 'info' | 'warn' | 'error'>;

/** What the core lends every plugin of one bot; handed to each plugin when it is loaded. */
export interface PluginCore {
	/** The labelled logger of a plugin. */
	loggerFor(plugin: string): PluginLogger;
	/** Where the plugin's environment variables are read (the process environment in production). */
	readonly environmentSource: Readonly<Record<string, string | undefined>>;
	/** Created after the plugins are loaded, so asked for at each use. */
	guildConfig(): GuildConfigService;
	openStore<Value>(namespace: string): Keyv<Value>;
	/** Whether this process takes `job`'s run for the period starting now (one process of the bot's per period). */
	claimRun(job: string, periodMs: number): Promise<boolean>;
	readonly client: Client;
}

/** What a plugin's code (and its start and stop hooks) reads through its own handle. */
export interface PluginContext<Schema extends z.ZodObject = z.ZodObject, Environment extends z.ZodObject = z.ZodObject> {
	readonly name: string;
	readonly logger: PluginLogger;
	readonly client: Client;
	/** The plugin's environment variables, parsed with its `environment` schema at start-up. */
	env(): z.output<Environment>;
	/** The plugin's section of the guild's resolved config (defaults, then file, then runtime override). */
	settings(guildId: string): Promise<z.output<Schema>>;
	/** The plugin's section of a config the caller has already resolved. */
	settingsIn(config: GuildConfig): z.output<Schema>;
	/** The plugin's section from the operator's files only (defaults and the guild's file), without any runtime override. */
	baselineSettings(guildId: string): z.output<Schema>;
	/** What admins wrote at run time into the plugin's section, as stored (unvalidated: a part of a section, or undefined). */
	storedOverride(guildId: string): Promise<unknown>;
	/** A key/value store on the bot's backend: `<plugin>` without a namespace (where plugins kept their data so far), else `<plugin>.<namespace>`. */
	storage<Value>(namespace?: string): Keyv<Value>;
	/**
	 * For a periodic job every process of the bot would otherwise run (a sweep, a schedule): true when this process runs
	 * `job` for the period of `periodMs` starting now, false when another process already has this period's run.
	 */
	claimPeriodicRun(job: string, periodMs: number): Promise<boolean>;
}

/** The core's side of a loaded plugin: its hooks, run by the plugin lifecycle. */
export interface PluginInstance {
	readonly name: string;
	readonly requires: readonly string[];
	readonly running: boolean;
	/**
	 * Runs the start hook unless the plugin runs already; a hook that throws leaves it not running and rejects,
	 * and later starts do nothing until a stop.
	 */
	start(): Promise<void>;
	/** Runs the stop hook once after a successful start; otherwise does nothing. */
	stop(): Promise<void>;
}

/** The key by which the core (and nothing in a plugin: `#sdk` does not export it) attaches a handle to a bot. */
export const attachPlugin = Symbol('attachPlugin');

/** A plugin's state in one bot: what the core lent it, its parsed environment, its running services. */
class Attachment<Schema extends z.ZodObject, Environment extends z.ZodObject, Services> implements PluginInstance {
	public readonly logger: PluginLogger;
	/** What the start hook returned; undefined for a plugin without one. */
	public services: { readonly value: Services } | undefined;
	#running = false;
	/** A start that threw is not tried again (by a plugin requiring this one, say) until a stop. */
	#failed = false;
	readonly #handle: PluginHandle<Schema, Environment, Services>;
	readonly #parsedSettings = new WeakMap<GuildConfig, z.output<Schema>>();
	#transition: Promise<void> = Promise.resolve();

	public constructor(
		handle: PluginHandle<Schema, Environment, Services>,
		public readonly core: PluginCore,
		public readonly environment: z.output<Environment> | undefined
	) {
		this.#handle = handle;
		this.logger = core.loggerFor(handle.name);
	}

	public get name(): string {
		return this.#handle.name;
	}

	public get requires(): readonly string[] {
		return Object.keys(this.#handle.requires ?? {});
	}

	public get running(): boolean {
		return this.#running;
	}

	/** Parsed once per resolved config object (the service caches those per guild), so reads stay cheap. */
	public settingsIn(schema: Schema, config: GuildConfig): z.output<Schema> {
		let settings = this.#parsedSettings.get(config);
		if (settings === undefined) {
			// The core validated the whole config with this same schema; parsing again gives the section its type.
			settings = schema.parse(config[this.#handle.name] ?? {});
			this.#parsedSettings.set(config, settings);
		}
		return settings;
	}

	public start(): Promise<void> {
		return this.#serially(async () => {
			if (this.#running || this.#failed) return;
			const hook = this.#handle.start;
			try {
				if (hook !== undefined) this.services = { value: await hook.call(this.#handle, this.#handle) };
			} catch (error) {
				this.#failed = true;
				throw error;
			}
			this.#running = true;
		});
	}

	public stop(): Promise<void> {
		return this.#serially(async () => {
			this.#failed = false;
			if (!this.#running) return;
			const { services } = this;
			// Not running from here on, whatever the hook does: a second stop must not run it again.
			this.#running = false;
			this.services = undefined;
			if (services !== undefined) await this.#handle.stop?.call(this.#handle, this.#handle, services.value);
		});
	}

	/** A start and a stop asked at the same time (shutdown during start-up) run one after the other, never interleaved. */
	#serially(step: () => Promise<void>): Promise<void> {
		const next = this.#transition.then(step);
		this.#transition = next.catch(() => undefined);
		return next;
	}
}

/**
 * What `definePlugin` returns and a plugin's `plugin.ts` exports by default: the manifest, and the typed
 * way for the plugin's own code to reach its settings, storage, logger, environment and running services.
 * Until the core has loaded the plugin, every reader throws an error saying so.
 */
export class PluginHandle<Schema extends z.ZodObject = z.ZodObject, Environment extends z.ZodObject = z.ZodObject, Services = unknown>
	implements PluginManifest<Schema, Environment, Services>, PluginContext<Schema, Environment>
{
	public readonly name: string;
	public readonly version: string;
	public readonly description: string;
	public readonly core: string;
	public readonly requires?: PluginManifest['requires'];
	public readonly enabledByDefault: boolean;
	public readonly configSchema?: Schema;
	public readonly runtimeConfigCheck?: PluginManifest['runtimeConfigCheck'];
	public readonly intents?: PluginManifest['intents'];
	public readonly environment?: Environment;
	public readonly secretVariables?: readonly string[];
	public readonly start?: PluginManifest<Schema, Environment, Services>['start'];
	public readonly stop?: PluginManifest<Schema, Environment, Services>['stop'];
	#attachment: Attachment<Schema, Environment, Services> | undefined;

	public constructor(manifest: PluginManifest<Schema, Environment, Services>) {
		this.name = manifest.name;
		this.version = manifest.version;
		this.description = manifest.description;
		this.core = manifest.core;
		this.enabledByDefault = manifest.enabledByDefault;
		this.requires = manifest.requires;
		this.configSchema = manifest.configSchema;
		this.runtimeConfigCheck = manifest.runtimeConfigCheck;
		this.intents = manifest.intents;
		this.environment = manifest.environment;
		this.secretVariables = manifest.secretVariables;
		this.start = manifest.start;
		this.stop = manifest.stop;
	}

	public get logger(): PluginLogger {
		return this.#loaded().logger;
	}

	public get client(): Client {
		return this.#loaded().core.client;
	}

	public env(): z.output<Environment> {
		const { environment } = this.#loaded();
		if (environment === undefined) throw new Error(`The ${this.name} plugin declares no environment variables (manifest \`environment\`).`);
		return environment;
	}

	/**
	 * Parses the plugin's environment variables from `source`, for a command-line tool of the plugin that runs
	 * outside the bot; throws an `EnvironmentError` naming each bad one, as the bot's start-up does.
	 */
	public parseEnvironment(source: Readonly<Record<string, string | undefined>> = process.env): z.output<Environment> {
		if (this.environment === undefined) throw new Error(`The ${this.name} plugin declares no environment variables (manifest \`environment\`).`);
		return parsePluginEnvironment(this.name, this.environment, source);
	}

	public async settings(guildId: string): Promise<z.output<Schema>> {
		return this.settingsIn(await this.#loaded().core.guildConfig().resolve(guildId));
	}

	public settingsIn(config: GuildConfig): z.output<Schema> {
		return this.#loaded().settingsIn(this.#schema(), config);
	}

	public baselineSettings(guildId: string): z.output<Schema> {
		return this.settingsIn(this.#loaded().core.guildConfig().baseline(guildId));
	}

	public async storedOverride(guildId: string): Promise<unknown> {
		return (await this.#loaded().core.guildConfig().runtimeOverride(guildId))[this.name];
	}

	public storage<Value>(namespace?: string): Keyv<Value> {
		if (namespace !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(namespace)) {
			throw new Error(`The ${this.name} plugin asked for the storage namespace "${namespace}": use lower-case letters, digits and dashes.`);
		}
		// `.` joins them: no plugin name holds one, so `<plugin>.<namespace>` is never another plugin's (or the core's) namespace.
		return this.#loaded().core.openStore<Value>(namespace === undefined ? this.name : `${this.name}.${namespace}`);
	}

	public claimPeriodicRun(job: string, periodMs: number): Promise<boolean> {
		return this.#loaded().core.claimRun(`${this.name}:${job}`, periodMs);
	}

	/** What the start hook returned; throws while the plugin is not running (before the bot is connected, or after it stopped). */
	public services(): Services {
		const attachment = this.#attachment;
		if (attachment === undefined || !attachment.running) {
			throw new Error(
				`The ${this.name} plugin is not running: its services exist from its start hook (once the bot is connected to Discord) until its stop hook.`
			);
		}
		if (attachment.services === undefined) throw new Error(`The ${this.name} plugin has no services: its manifest declares no start hook.`);
		return attachment.services.value;
	}

	/** Whether the plugin's services are up (see {@link services}). */
	public isRunning(): boolean {
		return this.#attachment?.running ?? false;
	}

	/**
	 * Gives the plugin to one bot: parses its environment (throwing an `EnvironmentError` naming each bad
	 * variable) and points its readers at that bot. The latest bot wins, as with Sapphire's container.
	 */
	public [attachPlugin](core: PluginCore): PluginInstance {
		const environment = this.environment === undefined ? undefined : parsePluginEnvironment(this.name, this.environment, core.environmentSource);
		this.#attachment = new Attachment(this, core, environment);
		return this.#attachment;
	}

	#loaded(): Attachment<Schema, Environment, Services> {
		if (this.#attachment === undefined) throw new Error(`The ${this.name} plugin is not loaded by a bot yet.`);
		return this.#attachment;
	}

	#schema(): Schema {
		if (this.configSchema === undefined) throw new Error(`The ${this.name} plugin declares no settings (manifest \`configSchema\`).`);
		return this.configSchema;
	}
}
