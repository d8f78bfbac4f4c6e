import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validateManifest, type PluginManifest } from './manifest.js';
import { RUNTIME_EXTENSION } from './module-files.js';

export interface DiscoveredPlugin {
	readonly directory: string;
	readonly manifest: PluginManifest;
}

/** Why a plugin was left out: its files ('broken'), the core's version, a requirement, or a privileged intent not granted. */
export type RefusalKind = 'broken' | 'incompatible' | 'requirement' | 'intent';

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
}

const MANIFEST_FILE = `plugin${RUNTIME_EXTENSION}`;

/** Reads `<root>/<name>/plugin.{ts,js}` for every folder of every root; a folder that fails is refused, the rest go on. */
export async function discoverPlugins(roots: readonly string[]): Promise<DiscoveryResult> {
	const found: DiscoveredPlugin[] = [];
	const refused: PluginRefusal[] = [];
	const seen = new Set<string>();

	for (const root of roots) {
		for (const directory of await listPluginFolders(root)) {
			const folderName = basename(directory);
			const outcome = await readManifest(directory);
			if (!outcome.ok) {
				refused.push({ name: folderName, kind: 'broken', reason: outcome.reason });
				continue;
			}
			const { manifest } = outcome;
			if (manifest.name !== folderName) {
				refused.push({
					name: folderName,
					kind: 'broken',
					reason: `its manifest is named "${manifest.name}" but its folder is "${folderName}"; they must match`
				});
			} else if (seen.has(manifest.name)) {
				refused.push({ name: manifest.name, kind: 'broken', reason: `another plugin folder already uses the name "${manifest.name}"` });
			} else {
				seen.add(manifest.name);
				found.push({ directory, manifest });
			}
		}
	}
	return { found, refused };
}

async function listPluginFolders(root: string): Promise<string[]> {
	try {
		const entries = await readdir(root, { withFileTypes: true });
		return entries
			.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !entry.name.startsWith('_'))
			.map((entry) => join(root, entry.name))
			.sort();
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
}

async function readManifest(directory: string): Promise<{ ok: true; manifest: PluginManifest } | { ok: false; reason: string }> {
	let module: { default?: unknown };
	try {
		module = (await import(pathToFileURL(join(directory, MANIFEST_FILE)).href)) as { default?: unknown };
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(MANIFEST_FILE)) {
			return { ok: false, reason: `it has no ${MANIFEST_FILE}` };
		}
		return { ok: false, reason: `its manifest failed to load: ${(error as Error).message}` };
	}
	const validation = validateManifest(module.default);
	return validation.ok ? { ok: true, manifest: validation.manifest } : { ok: false, reason: `its manifest is invalid: ${validation.problem}` };
}
