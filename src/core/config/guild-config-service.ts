import type Keyv from 'keyv';
import { ConfigPolicyError, newPolicyIssues } from '../policy/runtime-config-check.js';
import type { InvalidationBus } from '../storage/invalidation-bus.js';
import { deepMerge } from './deep-merge.js';
import { ConfigValidationError, validateGuildConfig, type ConfigIssue, type GuildConfig, type GuildConfigSchema } from './guild-config-schema.js';
import { ConfigPathError, deleteAtPath, getAtPath, isPlainObject, parsePath, setAtPath, type JsonObject } from './object-path.js';
import { checkRequirements, type PluginRequirements } from './plugin-requirements.js';

export const CONFIG_INVALIDATION_CHANNEL = 'guild-config:invalidate';

export interface GuildConfigServiceOptions {
	/** `config/default_config.json`, placeholders filled, sections of unloaded plugins removed. */
	readonly defaults: JsonObject;
	/** Valid file overrides by guild id (invalid ones were reported and left out at start-up). */
	readonly fileOverrides: ReadonlyMap<string, JsonObject>;
	readonly schema: GuildConfigSchema;
	/** Runtime overrides by guild id. */
	readonly store: Keyv<JsonObject>;
	readonly bus: InvalidationBus;
	/** Top-level sections a runtime write may touch: the core's and the loaded plugins'. */
	readonly sections: ReadonlySet<string>;
	readonly pluginNames: ReadonlySet<string>;
	/** Per loaded plugin, the plugins it requires: no write may leave a plugin on without them. */
	readonly requirements?: PluginRequirements;
	/** Plugins installed but not loaded, with why, in words a server admin can act on: writes to them say so. */
	readonly notLoaded?: ReadonlyMap<string, string>;
	readonly onStoredOverrideInvalid?: (guildId: string, error: ConfigValidationError) => void;
	/** Per section, the operator's bounds on runtime writes (the plugins' `runtimeConfigCheck`, policy bound); files are not checked. */
	readonly runtimeChecks?: ReadonlyMap<string, (section: unknown) => readonly ConfigIssue[]>;
	/**
	 * The whole cache is dropped this often. Invalidation messages are hints: an instance whose bus
	 * connection was down when one was published never hears it, so staleness needs a bound.
	 * The sweep keeps the hot path free of clock reads. Default one minute.
	 */
	readonly maximumStalenessMs?: number;
}

/**
 * Resolves a guild's configuration as runtime override (Keyv) over file override over defaults,
 * validated against the core's and the loaded plugins' schemas.
 *
 * Reads are served from an in-process cache. Every write invalidates it here at once and on every
 * other instance through the bus; a generation counter per guild keeps a read that started before
 * an invalidation from putting its stale result back into the cache.
 */
/** What depends on which plugins are loaded; replaced when the operator loads or unloads one at run time. */
export type PluginDependentOptions = Pick<
	GuildConfigServiceOptions,
	'defaults' | 'fileOverrides' | 'schema' | 'sections' | 'pluginNames' | 'requirements' | 'notLoaded' | 'runtimeChecks'
>;

export class GuildConfigService {
	#options: GuildConfigServiceOptions;
	readonly #cache = new Map<string, GuildConfig>();
	readonly #inflight = new Map<string, Promise<GuildConfig>>();
	readonly #generations = new Map<string, number>();
	readonly #writeQueues = new Map<string, Promise<unknown>>();
	readonly #sweeper: NodeJS.Timeout;
	#epoch = 0;

	private constructor(options: GuildConfigServiceOptions) {
		this.#options = options;
		this.#sweeper = setInterval(() => this.invalidateAll(), options.maximumStalenessMs ?? 60_000).unref();
	}

	public static async create(options: GuildConfigServiceOptions): Promise<GuildConfigService> {
		const service = new GuildConfigService(options);
		await options.bus.subscribe(CONFIG_INVALIDATION_CHANNEL, (guildId) => service.invalidate(guildId));
		return service;
	}

	/** The cached config, without any I/O; undefined when this guild was not resolved since the last write. */
	public cached(guildId: string): GuildConfig | undefined {
		return this.#cache.get(guildId);
	}

	public resolve(guildId: string): Promise<GuildConfig> {
		const cached = this.#cache.get(guildId);
		if (cached !== undefined) return Promise.resolve(cached);
		const pending = this.#inflight.get(guildId);
		if (pending !== undefined) return pending;

		const generation = this.#generation(guildId);
		const loading = this.#load(guildId).finally(() => {
			if (this.#inflight.get(guildId) === loading) this.#inflight.delete(guildId);
		});
		this.#inflight.set(guildId, loading);
		return loading.then((config) => {
			if (this.#generation(guildId) === generation) this.#cache.set(guildId, config);
			return config;
		});
	}

	/** The config built from defaults and the file override only, as a guild with no runtime changes sees it. */
	public baseline(guildId: string): GuildConfig {
		return validateGuildConfig(this.#options.schema, this.#layers(guildId, {}));
	}

	public async runtimeOverride(guildId: string): Promise<JsonObject> {
		return (await this.#options.store.get(guildId)) ?? {};
	}

	/** Sets one value by dotted path. Throws {@link ConfigPathError} or {@link ConfigValidationError}; nothing is stored then. */
	public async set(guildId: string, path: string, value: unknown): Promise<GuildConfig> {
		const keys = this.#writablePath(path);
		return this.#write(guildId, (override) => setAtPath(override, keys, value));
	}

	/** Applies a JSON merge patch (RFC 7396) to the runtime override: objects merge, `null` removes a key. */
	public async patch(guildId: string, patch: JsonObject): Promise<GuildConfig> {
		for (const [section, value] of Object.entries(patch)) {
			// Each plugin switch is checked as `set` checks it: one the operator unloaded is refused, saying why.
			const paths = section === 'plugins' && isPlainObject(value) ? Object.keys(value).map((plugin) => `plugins.${plugin}`) : [section];
			for (const path of paths) this.#writablePath(path);
		}
		return this.#write(guildId, (override) => applyMergePatch(override, patch));
	}

	/**
	 * Removes the runtime value at `path` (or every runtime value), so the file override or default applies
	 * again. Throws {@link UnknownConfigKeyError} for a key that is neither a setting nor a runtime value.
	 */
	public async reset(guildId: string, path?: string): Promise<GuildConfig> {
		if (path === undefined) return this.resetAll(guildId);
		const keys = parsePath(path);
		const [config, override] = await Promise.all([this.resolve(guildId), this.runtimeOverride(guildId)]);
		if (getAtPath(config, keys) === undefined && getAtPath(override, keys) === undefined) throw new UnknownConfigKeyError(path);
		return this.#write(guildId, (current) => deleteAtPath(current, keys));
	}

	public isPluginEnabled(config: GuildConfig, plugin: string): boolean {
		return config.plugins[plugin]?.enabled === true;
	}

	/** Drops this instance's cached config of a guild; called for writes here and, through the bus, elsewhere. */
	public invalidate(guildId: string): void {
		this.#generations.set(guildId, (this.#generations.get(guildId) ?? 0) + 1);
		this.#cache.delete(guildId);
		this.#inflight.delete(guildId);
	}

	/** Takes a new set of loaded plugins into account: their schemas, sections and rules. Every cached config is dropped. */
	public replacePluginOptions(options: PluginDependentOptions): void {
		this.#options = { ...this.#options, ...options };
		this.invalidateAll();
	}

	/** Drops every cached config of this instance. */
	public invalidateAll(): void {
		this.#epoch++;
		this.#cache.clear();
		this.#inflight.clear();
	}

	/** Stops the periodic sweep; the service keeps answering (uncached after the next write). */
	public close(): void {
		clearInterval(this.#sweeper);
	}

	#generation(guildId: string): string {
		return `${this.#epoch}:${this.#generations.get(guildId) ?? 0}`;
	}

	#writablePath(path: string): string[] {
		const keys = parsePath(path);
		const [section, plugin] = keys;
		const notLoaded = this.#options.notLoaded;
		const refused = section === 'plugins' ? plugin : section;
		const refusal = refused === undefined ? undefined : notLoaded?.get(refused);
		if (refused !== undefined && refusal !== undefined) {
			throw new PluginNotLoadedError(path, refused, refusal);
		}
		if (section === undefined || !this.#options.sections.has(section)) {
			throw new ConfigPathError(path, `"${section}" is not a config section; known sections: ${[...this.#options.sections].sort().join(', ')}`);
		}
		if (section === 'plugins' && plugin !== undefined && !this.#options.pluginNames.has(plugin)) {
			throw new ConfigPathError(path, `"${plugin}" is not a loaded plugin`);
		}
		return keys;
	}

	async #load(guildId: string): Promise<GuildConfig> {
		const override = await this.runtimeOverride(guildId);
		try {
			return validateGuildConfig(this.#options.schema, this.#layers(guildId, override));
		} catch (error) {
			// A stored override can go stale when a plugin's schema changes; the guild keeps working on its files.
			if (!(error instanceof ConfigValidationError)) throw error;
			this.#options.onStoredOverrideInvalid?.(guildId, error);
			return this.baseline(guildId);
		}
	}

	/** The config a runtime override gives; undefined when it is not valid (any more). */
	#resolvedOrUndefined(guildId: string, runtime: JsonObject): GuildConfig | undefined {
		try {
			return validateGuildConfig(this.#options.schema, this.#layers(guildId, runtime));
		} catch (error) {
			if (error instanceof ConfigValidationError) return undefined;
			throw error;
		}
	}

	#layers(guildId: string, runtime: JsonObject): JsonObject {
		const file = this.#options.fileOverrides.get(guildId) ?? {};
		return deepMerge(deepMerge(this.#options.defaults, file), runtime);
	}

	/**
	 * Removes every runtime value of the guild. With `onlyIf`, only when the runtime values are still what it
	 * accepts, checked in the write queue itself (a confirmation resets what it showed, never a change made since):
	 * throws {@link ConfigChangedError} otherwise, and nothing is written.
	 */
	public resetAll(guildId: string, onlyIf?: (current: JsonObject) => boolean): Promise<GuildConfig> {
		return this.#write(guildId, (current) => {
			if (onlyIf !== undefined && !onlyIf(current)) throw new ConfigChangedError();
			return {};
		});
	}

	/** Writes of one guild run one after another on this instance, so two admins' changes never overwrite each other. */
	#write(guildId: string, change: (override: JsonObject) => JsonObject): Promise<GuildConfig> {
		const previous = this.#writeQueues.get(guildId) ?? Promise.resolve();
		const next = previous
			.catch(() => undefined)
			.then(async () => {
				const before = await this.runtimeOverride(guildId);
				const override = change(before);
				const resolved = validateGuildConfig(this.#options.schema, this.#layers(guildId, override));
				// Requirements hold whichever door the write came through (/config, /plugins, a plugin's command, the API).
				if (this.#options.requirements !== undefined) {
					// A stored override that is no longer valid is not what the guild runs on: its files are.
					checkRequirements(this.#options.requirements, this.#resolvedOrUndefined(guildId, before) ?? this.baseline(guildId), resolved);
				}
				// The operator's bounds on what admins write, on the runtime layer alone: the operator's files are not bound by them.
				const refused = newPolicyIssues(this.#options.runtimeChecks ?? new Map(), before, override);
				if (refused.length > 0) throw new ConfigPolicyError(refused);
				if (Object.keys(override).length === 0) await this.#options.store.delete(guildId);
				else await this.#options.store.set(guildId, override);
				this.invalidate(guildId);
				await this.#options.bus.publish(CONFIG_INVALIDATION_CHANNEL, guildId);
				return resolved;
			});
		this.#writeQueues.set(guildId, next);
		void next
			.finally(() => {
				if (this.#writeQueues.get(guildId) === next) this.#writeQueues.delete(guildId);
			})
			.catch(() => undefined);
		return next;
	}
}

/** A conditional write found the guild's runtime values changed since they were read; nothing was written. */
export class ConfigChangedError extends Error {
	public constructor() {
		super('The settings changed since this was asked, so nothing was reset.');
		this.name = 'ConfigChangedError';
	}
}

/** A reset of a key that is neither a setting nor a runtime value: nothing could go back to a default. */
export class UnknownConfigKeyError extends ConfigPathError {
	public constructor(path: string) {
		super(path, 'there is no such setting');
		this.message = `There is no setting \`${path}\`.`;
		this.name = 'UnknownConfigKeyError';
	}
}

/** A write to the section or switch of a plugin that is installed but not loaded; the message says why, for admins. */
export class PluginNotLoadedError extends ConfigPathError {
	public constructor(
		path: string,
		public readonly plugin: string,
		explanation: string
	) {
		super(path, 'that plugin is not loaded');
		this.message = explanation;
		this.name = 'PluginNotLoadedError';
	}
}

function applyMergePatch(target: JsonObject, patch: JsonObject): JsonObject {
	let result: JsonObject = { ...target };
	for (const [key, value] of Object.entries(patch)) {
		parsePath(key);
		if (value === null) result = deleteAtPath(result, [key]);
		else if (isPlainObject(value)) {
			const current = result[key];
			const merged = applyMergePatch(isPlainObject(current) ? current : {}, value);
			if (Object.keys(merged).length === 0) delete result[key];
			else result[key] = merged;
		} else result[key] = value;
	}
	return result;
}
