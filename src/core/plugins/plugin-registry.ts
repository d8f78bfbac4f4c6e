import type { PluginManifest } from './manifest.js';
import type { PluginLocation, PluginRefusal } from './discovery.js';

/** The owner of the core's own pieces; never a plugin, never disabled. */
export const CORE_OWNER = 'core';

export interface LoadedPlugin {
	readonly manifest: PluginManifest;
	readonly directory: string;
	/** How its modules are imported (see `DiscoveredPlugin`); absent means this runtime's extension, first import. */
	readonly extension?: PluginLocation['extension'];
	readonly generation?: number;
	readonly packageName?: string;
}

/** What was loaded, what was refused and which plugin owns which piece: the one place the core asks. */
export class PluginRegistry {
	readonly #plugins = new Map<string, LoadedPlugin>();
	readonly #owners = new Map<string, string>();
	readonly #refused: PluginRefusal[] = [];

	public add(plugin: LoadedPlugin): void {
		this.#plugins.set(plugin.manifest.name, plugin);
	}

	public refuse(refusal: PluginRefusal): void {
		this.#refused.push(refusal);
	}

	/** Takes a plugin out of the loaded set (unloaded at run time); its pieces are released one by one. */
	public remove(name: string): LoadedPlugin | undefined {
		const plugin = this.#plugins.get(name);
		this.#plugins.delete(name);
		return plugin;
	}

	/** Forgets why a plugin was not loaded, before it is loaded (or refused anew) at run time. */
	public clearRefusals(name: string): void {
		for (let index = this.#refused.length - 1; index >= 0; index--) {
			if (this.#refused[index]?.name === name) this.#refused.splice(index, 1);
		}
	}

	public claimPiece(store: string, pieceName: string, owner: string): void {
		this.#owners.set(`${store}:${pieceName}`, owner);
	}

	public releasePiece(store: string, pieceName: string): void {
		this.#owners.delete(`${store}:${pieceName}`);
	}

	/** The plugin (or {@link CORE_OWNER}) that registered a piece; undefined for pieces of the framework itself. */
	public ownerOf(store: string, pieceName: string): string | undefined {
		return this.#owners.get(`${store}:${pieceName}`);
	}

	public get(name: string): LoadedPlugin | undefined {
		return this.#plugins.get(name);
	}

	public has(name: string): boolean {
		return this.#plugins.has(name);
	}

	/** Loaded plugins in load order (every plugin after those it requires). */
	public list(): LoadedPlugin[] {
		return [...this.#plugins.values()];
	}

	public refusals(): readonly PluginRefusal[] {
		return this.#refused;
	}

	/** Loaded plugins that declare a requirement on `name`. */
	public dependentsOf(name: string): LoadedPlugin[] {
		return this.list().filter((plugin) => Object.hasOwn(plugin.manifest.requires ?? {}, name));
	}

	public piecesOf(owner: string, store: string): string[] {
		const prefix = `${store}:`;
		return [...this.#owners].filter(([key, value]) => value === owner && key.startsWith(prefix)).map(([key]) => key.slice(prefix.length));
	}
}
