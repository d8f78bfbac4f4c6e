import type { SapphireClient } from '@sapphire/framework';
import type { CommandRegistrar } from '../commands/command-registrar.js';
import type { GuildConfigService } from '../config/guild-config-service.js';
import { EnvironmentError } from '../env.js';
import type { Logger } from '../logger.js';
import { readPlugin, type DiscoveredPlugin, type PluginLocation, type PluginRefusal } from './discovery.js';
import { nextGeneration } from './host-modules.js';
import type { PluginManifest } from './manifest.js';
import type { PluginLifecycle } from './plugin-lifecycle.js';
import { RUNTIME_EXTENSION } from './module-files.js';
import { collectPieces, pieceNameClash, registeredPieces, registerPieces, unregisterPieces, type CollectedPiece } from './piece-loader.js';
import { pluginConfigOptions, type PluginConfigInputs } from './plugin-config.js';
import { locatePlugin, type PluginSources } from './plugin-locator.js';
import type { LoadedPlugin, PluginRegistry } from './plugin-registry.js';
import { refusedRequirementRefusal } from './refusal-words.js';
import { runtimeRefusal } from './runtime-checks.js';

export type RuntimeAction = 'load' | 'unload' | 'reload';

/** What happened to the application commands after a switch: sent to Discord only when their set changed. */
export type CommandSync = 'unchanged' | 'registered' | 'not-connected' | 'failed';

export type RuntimeOutcome =
	| { readonly ok: true; readonly action: RuntimeAction; readonly name: string; readonly version: string; readonly commands: CommandSync }
	| { readonly ok: false; readonly code: RuntimeRefusalCode; readonly message: string };

export type RuntimeRefusalCode = 'unknown_plugin' | 'already_loaded' | 'not_loaded' | 'required_by_loaded' | 'refused';

export interface PluginRuntimeOptions {
	readonly client: SapphireClient;
	readonly registry: PluginRegistry;
	readonly guildConfig: GuildConfigService;
	readonly commandRegistrar: CommandRegistrar;
	readonly config: PluginConfigInputs;
	/** Where a plugin that is not loaded is looked for. */
	readonly sources: PluginSources;
	/** Privileged intents the operator granted (DISCORD_PRIVILEGED_INTENTS). */
	readonly grantedIntents: readonly string[];
	readonly logger: Logger;
	/** Runs plugins' start and stop hooks. */
	readonly lifecycle: Pick<PluginLifecycle, 'start' | 'stop' | 'isRunning'>;
	/**
	 * Gives a loaded plugin its context in this bot (its secret variables join the log redactor); throws an
	 * `EnvironmentError` naming a missing or bad variable.
	 */
	readonly attach: (name: string) => void;
}

const UNLOADED_REASON = 'the operator unloaded it while the bot runs';

/**
 * Loads, unloads and reloads plugins in the running process, one switch at a time: pieces go into or out
 * of Sapphire's stores, hooks stop and start, guild config and `/plugins` follow, and the application
 * commands are sent to Discord only when their set changed (a reload of the same version sends nothing).
 */
export class PluginRuntime {
	readonly #options: PluginRuntimeOptions;
	/** Manifests of plugins unloaded at run time: their config sections stay valid (see `pluginConfigOptions`). */
	readonly #retained = new Map<string, PluginManifest>();
	/** Where plugins loaded in this process were found, so a later load finds them again. */
	readonly #locations = new Map<string, { location: PluginLocation }>();
	#queue: Promise<unknown> = Promise.resolve();

	public constructor(options: PluginRuntimeOptions) {
		this.#options = options;
	}

	public load(name: string): Promise<RuntimeOutcome> {
		return this.#serially(() => this.#load(name));
	}

	public unload(name: string): Promise<RuntimeOutcome> {
		return this.#serially(() => this.#unload(name));
	}

	public reload(name: string): Promise<RuntimeOutcome> {
		return this.#serially(() => this.#reload(name));
	}

	async #load(name: string): Promise<RuntimeOutcome> {
		const { registry } = this.#options;
		if (registry.has(name))
			return { ok: false, code: 'already_loaded', message: `The plugin "${name}" is loaded already; reload it to run new code.` };
		const located = this.#locations.get(name) ?? (await locatePlugin(name, this.#options.sources));
		if (located === undefined) return { ok: false, code: 'unknown_plugin', message: this.#unknown(name) };
		if ('refusal' in located) return this.#refused(name, located.refusal.reason);
		const prepared = await this.#prepare(located.location);
		if (!prepared.ok) {
			registry.clearRefusals(name);
			registry.refuse({ ...prepared.refusal, name });
			await this.#applyConfig();
			return this.#refused(name, prepared.refusal.reason);
		}
		const installed = await this.#install(prepared.plugin, prepared.pieces);
		if (!installed.ok) return this.#refused(name, installed.reason);
		// Loaded by its package name: the refusal start-up filed under that name is answered too.
		if (name !== prepared.plugin.manifest.name) registry.clearRefusals(name);
		return { ok: true, action: 'load', name, version: prepared.plugin.manifest.version, commands: await this.#syncCommands() };
	}

	async #unload(name: string): Promise<RuntimeOutcome> {
		const { registry } = this.#options;
		const plugin = registry.get(name);
		if (plugin === undefined) return this.#notLoaded(name);
		const dependents = registry.dependentsOf(name).map((dependent) => dependent.manifest.name);
		if (dependents.length > 0) {
			return {
				ok: false,
				code: 'required_by_loaded',
				message: `The plugin "${name}" cannot be unloaded while ${dependents.map((dependent) => `"${dependent}"`).join(', ')} requires it; unload that first.`
			};
		}
		await this.#uninstall(plugin);
		registry.refuse({ name, kind: 'unloaded', reason: UNLOADED_REASON });
		await this.#applyConfig();
		this.#options.logger.info(`Plugin "${name}" v${plugin.manifest.version} unloaded by the operator.`);
		return { ok: true, action: 'unload', name, version: plugin.manifest.version, commands: await this.#syncCommands() };
	}

	/** The new code is imported and checked while the old keeps running; only a plugin that loads replaces it. */
	async #reload(name: string): Promise<RuntimeOutcome> {
		const { registry, lifecycle, client } = this.#options;
		const current = registry.get(name);
		if (current === undefined) return this.#notLoaded(name);
		const prepared = await this.#prepare(locationOf(current));
		if (!prepared.ok) return this.#refused(name, `${prepared.refusal.reason}; version ${current.manifest.version} keeps running`);
		if (prepared.plugin.manifest.name !== name) {
			return this.#refused(
				name,
				`its new manifest is named "${prepared.plugin.manifest.name}"; version ${current.manifest.version} keeps running`
			);
		}
		// Stopping a plugin stops the plugins that require it; those that ran start again after it.
		const running = registry.dependentsOf(name).filter((dependent) => lifecycle.isRunning(dependent.manifest.name));
		// A new piece may still throw when Sapphire builds it; the running version's pieces are kept to put back then.
		const previous = registeredPieces(name, client.stores, registry);
		await this.#uninstall(current);
		const installed = await this.#install(prepared.plugin, prepared.pieces);
		if (!installed.ok) {
			const restored = await this.#install(current, previous);
			if (!restored.ok) {
				// Neither version loads: the plugins requiring it go too, never left loaded without it.
				await this.#uninstallDependents(name);
				await this.#applyConfig();
				await this.#syncCommands();
				return this.#refused(
					name,
					`${installed.reason}; version ${current.manifest.version} could not be put back (${restored.reason}), so it and the plugins requiring it are unloaded`
				);
			}
			for (const dependent of running) await lifecycle.start(dependent.manifest.name);
			await this.#syncCommands();
			return this.#refused(name, `${installed.reason}; version ${current.manifest.version} keeps running`);
		}
		for (const dependent of running) await lifecycle.start(dependent.manifest.name);
		this.#options.logger.info(`Plugin "${name}" reloaded: v${current.manifest.version} -> v${prepared.plugin.manifest.version}.`);
		return { ok: true, action: 'reload', name, version: prepared.plugin.manifest.version, commands: await this.#syncCommands() };
	}

	/** Unloads every loaded plugin that requires `name`, those requiring them first, each refused for the missing requirement. */
	async #uninstallDependents(name: string): Promise<void> {
		const { registry } = this.#options;
		for (const dependent of registry.dependentsOf(name)) {
			const dependentName = dependent.manifest.name;
			await this.#uninstallDependents(dependentName);
			await this.#uninstall(dependent);
			registry.refuse(refusedRequirementRefusal(dependentName, name));
			this.#options.logger.error(`Plugin "${dependentName}" was unloaded: the plugin "${name}" it requires could not be loaded again.`);
		}
	}

	/** Imports a plugin's manifest and pieces afresh and checks them; nothing is registered yet. */
	async #prepare(
		location: PluginLocation
	): Promise<{ ok: true; plugin: DiscoveredPlugin; pieces: CollectedPiece[] } | { ok: false; refusal: PluginRefusal }> {
		const { registry, client, grantedIntents } = this.#options;
		const read = await readPlugin(location, nextGeneration());
		if (!read.ok) return read;
		const { plugin } = read;
		const refusal = runtimeRefusal(plugin.manifest, registry, { connected: (bit) => client.options.intents.has(bit), granted: grantedIntents });
		if (refusal !== null) return { ok: false, refusal };
		const collected = await collectPieces(plugin.manifest.name, plugin.directory, client.stores, plugin);
		if (collected.problems.length > 0) {
			const reason = collected.problems.map((problem) => `${problem.file} ${problem.reason}`).join('; ');
			return { ok: false, refusal: { name: plugin.manifest.name, kind: 'broken', reason } };
		}
		const clash = pieceNameClash(plugin.manifest.name, collected.pieces, registry);
		if (clash !== undefined) return { ok: false, refusal: { name: plugin.manifest.name, kind: 'broken', reason: clash } };
		return { ok: true, plugin, pieces: collected.pieces };
	}

	/** Registers a prepared plugin; refused (and nothing left registered) when its environment variables are bad. */
	async #install(plugin: LoadedPlugin, pieces: readonly CollectedPiece[]): Promise<{ ok: true } | { ok: false; reason: string }> {
		const { registry, client, lifecycle } = this.#options;
		const { name } = plugin.manifest;
		registry.clearRefusals(name);
		registry.add(plugin);
		try {
			this.#options.attach(name);
		} catch (error) {
			if (!(error instanceof EnvironmentError)) throw error;
			registry.remove(name);
			const reason = `its environment is not valid: ${error.problems.map(({ variable, problem }) => `${variable} ${problem}`).join('; ')}`;
			registry.refuse({ name, kind: 'broken', reason });
			await this.#applyConfig();
			return { ok: false, reason };
		}
		try {
			await registerPieces(name, pieces, client.stores, registry);
		} catch (error) {
			// A piece that throws while Sapphire loads it (in its constructor or onLoad): nothing of the plugin stays.
			await unregisterPieces(name, client.stores, registry);
			registry.remove(name);
			const reason = `its pieces failed to load: ${error instanceof Error ? error.message : String(error)}`;
			registry.refuse({ name, kind: 'broken', reason });
			await this.#applyConfig();
			return { ok: false, reason };
		}
		this.#retained.delete(name);
		this.#locations.set(name, { location: locationOf(plugin) });
		await this.#applyConfig();
		// Hooks run once connected (the lifecycle starts every plugin on ready); a plugin loaded before that waits for it.
		if (client.isReady()) await lifecycle.start(name);
		this.#options.logger.info(`Plugin "${name}" v${plugin.manifest.version} loaded (${plugin.packageName ?? plugin.directory}).`);
		return { ok: true };
	}

	async #uninstall(plugin: LoadedPlugin): Promise<void> {
		const { registry, client, lifecycle } = this.#options;
		const { name } = plugin.manifest;
		// Asked even when it does not run yet: a start under way (the one every ready begins) ends first, then stops.
		await lifecycle.stop(name);
		await unregisterPieces(name, client.stores, registry);
		registry.remove(name);
		this.#retained.set(name, plugin.manifest);
	}

	async #applyConfig(): Promise<void> {
		const { guildConfig, registry, config } = this.#options;
		guildConfig.replacePluginOptions(await pluginConfigOptions(registry, [...this.#retained.values()], config));
	}

	async #syncCommands(): Promise<CommandSync> {
		const { client, commandRegistrar, logger } = this.#options;
		if (!client.isReady()) return 'not-connected';
		try {
			const outcome = await commandRegistrar.synchronize(client, client.stores.get('commands'));
			if (outcome.action === 'registered') logger.info(`Registered ${outcome.count} application command(s) with Discord.`);
			return outcome.action;
		} catch (error) {
			logger.error('Registering application commands failed; the previous registration stays in effect:', error);
			return 'failed';
		}
	}

	#notLoaded(name: string): RuntimeOutcome {
		const refusal = this.#options.registry.refusals().find((entry) => entry.name === name);
		if (refusal === undefined) return { ok: false, code: 'unknown_plugin', message: this.#unknown(name) };
		return { ok: false, code: 'not_loaded', message: `The plugin "${name}" is not loaded: ${refusal.reason}.` };
	}

	#refused(name: string, reason: string): RuntimeOutcome {
		this.#options.logger.error(`Plugin "${name}" was not loaded: ${reason}.`);
		return { ok: false, code: 'refused', message: `The plugin "${name}" was not loaded: ${reason}.` };
	}

	#unknown(name: string): string {
		const known = this.#options.registry.list().map(({ manifest }) => manifest.name);
		return `There is no plugin named "${name}" in the plugin folders or PLUGIN_PACKAGES. Loaded plugins: ${known.join(', ') || 'none'}.`;
	}

	#serially<T>(step: () => Promise<T>): Promise<T> {
		const next = this.#queue.then(step);
		this.#queue = next.catch(() => undefined);
		return next;
	}
}

function locationOf(plugin: LoadedPlugin): PluginLocation {
	return {
		directory: plugin.directory,
		extension: plugin.extension ?? RUNTIME_EXTENSION,
		...(plugin.packageName === undefined ? {} : { packageName: plugin.packageName })
	};
}

declare module '@sapphire/pieces' {
	interface Container {
		/** Loads, unloads and reloads plugins for the whole process (the operator's `/api/v1/operator/plugins`). */
		pluginRuntime: PluginRuntime;
	}
}
