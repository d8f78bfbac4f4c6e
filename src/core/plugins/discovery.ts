import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { errorCode, errorMessage } from '../error-code.js';
import { generationUrl, shareHostModules } from './host-modules.js';
import { validateManifest, type PluginManifest } from './manifest.js';
import { PACKAGE_EXTENSION, RUNTIME_EXTENSION, type ModuleExtension } from './module-files.js';
import type { PackageSearch, PluginPackage } from './plugin-packages.js';

const NO_PACKAGES: PackageSearch = { located: [], refused: [] };

/** Where a plugin was found: a folder of a plugin root, or an npm package the operator named. */
export interface PluginLocation {
	readonly directory: string;
	/** The extension of its modules: the runtime's own for folders, `.js` for packages (compiled JavaScript). */
	readonly extension: ModuleExtension;
	/** Set for a plugin installed as an npm package. */
	readonly packageName?: string;
}

export interface DiscoveredPlugin extends PluginLocation {
	readonly manifest: PluginManifest;
	/** How many times this plugin's code was imported afresh in this process (0 at start-up); see {@link generationUrl}. */
	readonly generation: number;
}

/**
 * Why a plugin was left out: its files ('broken'), the core's version, a requirement, a privileged intent
 * not granted, or the operator unloading it at run time ('unloaded').
 */
export type RefusalKind = 'broken' | 'incompatible' | 'requirement' | 'intent' | 'unloaded';

export interface PluginRefusal {
	readonly name: string;
	/** For the operator: what is wrong and how to fix it (logged once at start-up). */
	readonly reason: string;
	readonly kind: RefusalKind;
	/** The plugin it requires that is missing or refused (kind 'requirement'). */
	readonly requirement?: string;
	/** The privileged intent it needs (kind 'intent'), as discord.js names it. */
	readonly intent?: string;
}

export interface DiscoveryResult {
	readonly found: DiscoveredPlugin[];
	readonly refused: PluginRefusal[];
	/** The plugin packages that were found installed (loaded or not). */
	readonly packages: readonly PluginPackage[];
}

/**
 * Reads `<root>/<name>/plugin.{ts,js}` for every folder of every root, then `plugin.js` of every plugin
 * package; a plugin that fails is refused, the rest go on. Packages are read through the host-module hook,
 * so they get the bot's SDK and Sapphire rather than copies of their own.
 */
export async function discoverPlugins(roots: readonly string[], packageSearch: PackageSearch = NO_PACKAGES): Promise<DiscoveryResult> {
	const packages = packageSearch.located;
	shareHostModules(packages.map((entry) => entry.directory));
	const locations: PluginLocation[] = [];
	for (const root of roots) {
		for (const directory of await listPluginFolders(root)) locations.push({ directory, extension: RUNTIME_EXTENSION });
	}
	for (const { packageName, directory } of packages) locations.push({ directory, extension: PACKAGE_EXTENSION, packageName });

	const found: DiscoveredPlugin[] = [];
	const refused: PluginRefusal[] = [...packageSearch.refused];
	const seen = new Set<string>();
	for (const location of locations) {
		const outcome = await readPlugin(location, 0);
		if (!outcome.ok) {
			refused.push(outcome.refusal);
		} else if (seen.has(outcome.plugin.manifest.name)) {
			const { name } = outcome.plugin.manifest;
			refused.push({ name, kind: 'broken', reason: `another plugin folder or package already uses the name "${name}"` });
		} else {
			seen.add(outcome.plugin.manifest.name);
			found.push(outcome.plugin);
		}
	}
	return { found, refused, packages };
}

/**
 * Reads one plugin's manifest; `generation` above 0 imports it afresh (a reload). A folder plugin's manifest
 * must carry the folder's name; a package may be named as its author likes (npm names are often scoped).
 */
export async function readPlugin(
	location: PluginLocation,
	generation: number
): Promise<{ ok: true; plugin: DiscoveredPlugin } | { ok: false; refusal: PluginRefusal }> {
	const label = location.packageName ?? basename(location.directory);
	const outcome = await readManifest(location, generation);
	if (!outcome.ok) return { ok: false, refusal: { name: label, kind: 'broken', reason: outcome.reason } };
	const { manifest } = outcome;
	if (location.packageName === undefined && manifest.name !== label) {
		return {
			ok: false,
			refusal: { name: label, kind: 'broken', reason: `its manifest is named "${manifest.name}" but its folder is "${label}"; they must match` }
		};
	}
	return { ok: true, plugin: { ...location, manifest, generation } };
}

async function listPluginFolders(root: string): Promise<string[]> {
	try {
		const entries = await readdir(root, { withFileTypes: true });
		return entries
			.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !entry.name.startsWith('_'))
			.map((entry) => join(root, entry.name))
			.sort();
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return [];
		throw error;
	}
}

async function readManifest(
	location: PluginLocation,
	generation: number
): Promise<{ ok: true; manifest: PluginManifest } | { ok: false; reason: string }> {
	const manifestFile = `plugin${location.extension}`;
	let module: { default?: unknown };
	try {
		module = await import(generationUrl(join(location.directory, manifestFile), location.directory, generation));
	} catch (error) {
		if (errorCode(error) === 'ERR_MODULE_NOT_FOUND' && errorMessage(error).includes(manifestFile)) {
			return { ok: false, reason: `it has no ${manifestFile}` };
		}
		return { ok: false, reason: `its manifest failed to load: ${errorMessage(error)}` };
	}
	const validation = validateManifest(module.default);
	return validation.ok ? { ok: true, manifest: validation.manifest } : { ok: false, reason: `its manifest is invalid: ${validation.problem}` };
}
