import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { PluginRefusal } from './discovery.js';

/** A plugin installed as an npm package: its package root holds `plugin.js` and the piece folders. */
export interface PluginPackage {
	readonly packageName: string;
	readonly directory: string;
}

export interface PackageSearch {
	readonly located: readonly PluginPackage[];
	readonly refused: readonly PluginRefusal[];
}

const packageJson = z.object({ name: z.string(), version: z.string().optional() });

/**
 * Finds each named package in `<baseDirectory>/node_modules/<name>`, where `npm install <name>` run in
 * that directory puts it. Read straight from the folder rather than through `require.resolve`, which
 * goes through the package's `exports` and would need it to export its package.json.
 * A package that is missing or unreadable is refused with how to fix it; the others go on.
 */
export async function locatePluginPackages(names: readonly string[], baseDirectory: string): Promise<PackageSearch> {
	const located: PluginPackage[] = [];
	const refused: PluginRefusal[] = [];
	const nodeModules = join(baseDirectory, 'node_modules');
	for (const packageName of names) {
		const directory = join(nodeModules, ...packageName.split('/'));
		const problem = await packageProblem(packageName, directory);
		if (problem === null) located.push({ packageName, directory });
		else refused.push({ name: packageName, kind: 'broken', reason: problem });
	}
	return { located, refused };
}

async function packageProblem(packageName: string, directory: string): Promise<string | null> {
	const exists = await stat(directory).then(
		(entry) => entry.isDirectory(),
		() => false
	);
	if (!exists)
		return `the package "${packageName}" is not installed in ${directory} (run "npm install ${packageName}" in the bot's directory or PLUGIN_PACKAGES_DIR)`;
	let parsed: unknown;
	try {
		parsed = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8'));
	} catch (error) {
		return `the package "${packageName}" has no readable package.json (${error instanceof Error ? error.message : String(error)})`;
	}
	const manifest = packageJson.safeParse(parsed);
	if (!manifest.success) return `the package.json of "${packageName}" has no name`;
	if (manifest.data.name !== packageName) return `the package installed as "${packageName}" is named "${manifest.data.name}" in its package.json`;
	return null;
}
