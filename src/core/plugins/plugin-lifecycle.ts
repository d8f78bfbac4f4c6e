import type { PluginInstance, PluginLogger } from './plugin-context.js';

/** Where the lifecycle finds a loaded plugin's hooks; undefined for a name that is not loaded. */
export interface PluginInstances {
	instanceOf(name: string): PluginInstance | undefined;
	/** Loaded plugins, each after those it requires. */
	names(): readonly string[];
}

/**
 * Runs plugins' start and stop hooks: each once, every plugin after those it requires when starting and
 * before them when stopping. A hook that throws is logged with the plugin's name; the other plugins go on
 * (a plugin whose requirement is not running is not started, and says why).
 */
export class PluginLifecycle {
	readonly #plugins: PluginInstances;
	readonly #logger: PluginLogger;
	/** Counts `stopAll` calls: a `startAll` under way when one comes (shutdown during start-up) starts nothing more. */
	#stops = 0;

	public constructor(plugins: PluginInstances, logger: PluginLogger) {
		this.#plugins = plugins;
		this.#logger = logger;
	}

	/** Starts a loaded plugin, after starting those it requires that are not running. */
	public async start(name: string): Promise<void> {
		const plugin = this.#instance(name);
		if (plugin.running) return;
		for (const requirement of plugin.requires) {
			if (this.#plugins.instanceOf(requirement) !== undefined) await this.start(requirement);
		}
		const stopped = plugin.requires.find((requirement) => !this.isRunning(requirement));
		if (stopped !== undefined) {
			this.#logger.error(`Plugin "${name}" was not started: the plugin "${stopped}" it requires is not running.`);
			return;
		}
		try {
			await plugin.start();
		} catch (error) {
			this.#logger.error(`Plugin "${name}" failed to start; it runs without its services:`, error);
		}
	}

	/** Stops a running plugin, after stopping the running plugins that require it. */
	public async stop(name: string): Promise<void> {
		const plugin = this.#instance(name);
		for (const dependent of this.#plugins.names().toReversed()) {
			if (dependent !== name && this.#plugins.instanceOf(dependent)?.requires.includes(name)) await this.stop(dependent);
		}
		try {
			await plugin.stop();
		} catch (error) {
			this.#logger.error(`Plugin "${name}" failed to stop cleanly:`, error);
		}
	}

	/** Starts every loaded plugin in load order (each after those it requires). */
	public async startAll(): Promise<void> {
		const stops = this.#stops;
		for (const name of this.#plugins.names()) {
			if (this.#stops !== stops) return;
			// The operator may unload a plugin while earlier ones still start (the bot calls this on ready, unawaited).
			if (this.#plugins.instanceOf(name) === undefined) continue;
			await this.start(name);
		}
	}

	/** Stops every running plugin in reverse load order. */
	public async stopAll(): Promise<void> {
		this.#stops += 1;
		for (const name of this.#plugins.names().toReversed()) await this.stop(name);
	}

	public isRunning(name: string): boolean {
		return this.#plugins.instanceOf(name)?.running ?? false;
	}

	#instance(name: string): PluginInstance {
		const plugin = this.#plugins.instanceOf(name);
		if (plugin === undefined) throw new Error(`No plugin "${name}" is loaded.`);
		return plugin;
	}
}
