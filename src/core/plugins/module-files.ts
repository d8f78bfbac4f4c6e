import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../error-code.js';

export type ModuleExtension = '.ts' | '.js';

/**
 * The extension of the source files this process runs: `.ts` under tsx (development, tests),
 * `.js` from the compiled build. Both trees exist side by side in a checkout that was built once,
 * so loading "whatever is there" would load every piece twice.
 */
export const RUNTIME_EXTENSION: ModuleExtension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The extension of a plugin installed as an npm package: it ships compiled JavaScript, whatever this process runs. */
export const PACKAGE_EXTENSION: ModuleExtension = '.js';

/** Files Sapphire-style loaders skip: `_load` helpers, declarations, tests and source maps. */
function isModuleFile(name: string, extension: ModuleExtension): boolean {
	return name.endsWith(extension) && !name.startsWith('_') && !name.endsWith(`.d${extension}`) && !name.includes('.test.');
}

/**
 * Every module file under a folder, depth first, in a stable (sorted) order; a missing folder has none.
 * `extension` is the runtime's own for the core and plugin folders, `.js` for plugin packages.
 */
export async function listModuleFiles(directory: string, extension: ModuleExtension = RUNTIME_EXTENSION): Promise<string[]> {
	let entries;
	try {
		entries = await readdir(directory, { withFileTypes: true });
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return [];
		throw error;
	}
	entries.sort((a, b) => a.name.localeCompare(b.name));
	const files: string[] = [];
	for (const entry of entries) {
		const path = join(directory, entry.name);
		if (entry.isDirectory()) files.push(...(await listModuleFiles(path, extension)));
		else if (entry.isFile() && isModuleFile(entry.name, extension)) files.push(path);
	}
	return files;
}
