import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiscoveredPlugin, PluginLocation, PluginRefusal } from './discovery.js';
import { shareHostModules } from './host-modules.js';
import { PLUGIN_NAME_PATTERN } from './manifest.js';
import { PACKAGE_EXTENSION, RUNTIME_EXTENSION } from './module-files.js';
import { locatePluginPackages } from './plugin-packages.js';

/** Where plugins may be found while the bot runs: what start-up found, and where it looked. */
export interface PluginSources {
	/** Every plugin discovery found at start-up, loaded or refused then. */
	readonly discovered: readonly DiscoveredPlugin[];
	readonly pluginRoots: readonly string[];
	/** PLUGIN_PACKAGES and the directory whose node_modules holds them. */
	readonly packages: { readonly names: readonly string[]; readonly directory: string };
}

/**
 * Finds a plugin to load by name: one found at start-up (by its manifest name), a package named in
 * PLUGIN_PACKAGES (by its package name, installed since start-up or not), or a folder of a plugin root
 * added since (by a name a plugin may have, so never a path). A named package that is still not installed is a refusal saying so.
 */
export async function locatePlugin(
	name: string,
	sources: PluginSources
): Promise<{ location: PluginLocation } | { refusal: PluginRefusal } | undefined> {
	const known = sources.discovered.find((plugin) => plugin.manifest.name === name || plugin.packageName === name);
	if (known !== undefined) return { location: known };
	if (sources.packages.names.includes(name)) {
		const { located, refused } = await locatePluginPackages([name], sources.packages.directory);
		const [found] = located;
		if (found === undefined) return refused[0] === undefined ? undefined : { refusal: refused[0] };
		shareHostModules([found.directory]);
		return { location: { directory: found.directory, extension: PACKAGE_EXTENSION, packageName: found.packageName } };
	}
	// A folder is found by a plugin name only: `..`, `.` or a name with a separator would reach past the plugin roots.
	if (!PLUGIN_NAME_PATTERN.test(name)) return undefined;
	for (const root of sources.pluginRoots) {
		const directory = join(root, name);
		if (await isDirectory(directory)) return { location: { directory, extension: RUNTIME_EXTENSION } };
	}
	return undefined;
}

async function isDirectory(path: string): Promise<boolean> {
	return stat(path).then(
		(entry) => entry.isDirectory(),
		() => false
	);
}
