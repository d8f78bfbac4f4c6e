import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The extension of the source files this process runs: `.ts` under tsx (development, tests),
 * `.js` from the compiled build. Both trees exist side by side in a checkout that was built once,
 * so loading "whatever is there" would load every piece twice.
 */
export const RUNTIME_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** Files Sapphire-style loaders skip: `_load` helpers, declarations, tests and source maps. */
function isModuleFile(name: string): boolean {
	return name.endsWith(RUNTIME_EXTENSION) && !name.startsWith('_') && !name.endsWith(`.d${RUNTIME_EXTENSION}`) && !name.includes('.test.');
}

/** Every module file under a folder, depth first, in a stable (sorted) order; a missing folder has none. */
export async function listModuleFiles(directory: string): Promise<string[]> {
	let entries;
	try {
		entries = await readdir(directory, { withFileTypes: true });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw error;
	}
	entries.sort((a, b) => a.name.localeCompare(b.name));
	const files: string[] = [];
	for (const entry of entries) {
		const path = join(directory, entry.name);
		if (entry.isDirectory()) files.push(...(await listModuleFiles(path)));
		else if (entry.isFile() && isModuleFile(entry.name)) files.push(path);
	}
	return files;
}
