import { EnvironmentError, type EnvironmentProblem } from '../env.js';
import type { PluginManifest } from './manifest.js';
import { attachPlugin, PluginHandle, type PluginCore, type PluginInstance } from './plugin-context.js';
import type { PluginInstances } from './plugin-lifecycle.js';

/** The registry's view this needs: loaded plugins in load order, by name. */
export interface LoadedPlugins {
	get(name: string): { readonly manifest: PluginManifest } | undefined;
	list(): readonly { readonly manifest: PluginManifest }[];
}

/**
 * The loaded plugins of one bot, each attached to the bot's core: attached when first asked for, and again
 * when the registry holds a different handle under the same name (a plugin loaded afresh at run time).
 */
export class AttachedPlugins implements PluginInstances {
	readonly #registry: LoadedPlugins;
	readonly #core: PluginCore;
	readonly #addSecret: (value: string) => void;
	readonly #attached = new Map<string, { readonly handle: PluginHandle; readonly instance: PluginInstance }>();

	/** `addSecret` gets the value of every variable a plugin declares secret, for the log redactor. */
	public constructor(registry: LoadedPlugins, core: PluginCore, addSecret: (value: string) => void) {
		this.#registry = registry;
		this.#core = core;
		this.#addSecret = addSecret;
	}

	/** Throws the plugin's `EnvironmentError` when one of its environment variables is missing or bad. */
	public instanceOf(name: string): PluginInstance | undefined {
		const handle = this.#registry.get(name)?.manifest;
		if (!(handle instanceof PluginHandle)) return undefined;
		const known = this.#attached.get(name);
		if (known?.handle === handle) return known.instance;
		const instance = handle[attachPlugin](this.#core);
		for (const variable of handle.secretVariables ?? []) {
			// The value as the operator wrote it, and what the schema made of it: a transform may split, trim or decode it.
			this.#addSecret(this.#core.environmentSource[variable] ?? '');
			for (const value of secretStrings(handle.env()[variable])) this.#addSecret(value);
		}
		this.#attached.set(name, { handle, instance });
		return instance;
	}

	public names(): readonly string[] {
		return this.#registry.list().map(({ manifest }) => manifest.name);
	}

	/** Attaches every loaded plugin; the problems of every plugin's environment at once, as the core lists its own. */
	public attachAll(): EnvironmentProblem[] {
		const problems: EnvironmentProblem[] = [];
		for (const name of this.names()) {
			try {
				this.instanceOf(name);
			} catch (error) {
				if (!(error instanceof EnvironmentError)) throw error;
				problems.push(...error.problems);
			}
		}
		return problems;
	}
}

/** The strings a parsed secret is made of: itself, or the items of a list the schema split it into. */
function secretStrings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
