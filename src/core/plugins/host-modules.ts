import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The packages a plugin shares with the bot rather than bringing its own copy: Sapphire checks piece
 * classes with `instanceof` against its store constructors, and zod schemas are checked the same way,
 * so a second copy of any of them would make every piece of a packaged plugin "not a piece".
 * `@sapphire/pieces` holds the `Piece` base and the one `container` (the framework re-exports both): a
 * plugin importing it directly must get the bot's, not an empty container of its own.
 */
export const HOST_PACKAGES: readonly string[] = ['@sapphire/framework', '@sapphire/pieces', '@sapphire/plugin-api', 'discord.js', 'zod'];

/** The names under which a packaged plugin imports the SDK (the package's `exports` name `./sdk`). */
export const SDK_SPECIFIERS: readonly string[] = ['kaltura-discord-bot', 'kaltura-discord-bot/sdk'];

/** Marks the modules of one reload of one plugin; see {@link generationUrl}. */
const GENERATION_PARAMETER = 'plugin-generation';
const DIRECTORY_PARAMETER = 'plugin-directory';

/**
 * The module resolution hook, run by Node on its loader thread. It is a `data:` URL so it is one
 * self-contained module whether the bot runs under tsx or from `dist/` (no file to find or compile).
 *
 * - `kaltura-discord-bot[/sdk]` resolves as `#sdk` does from the bot's own code: the very module the
 *   built-in plugins get.
 * - A host package imported from inside a plugin package resolves from the bot's code, so the plugin
 *   gets the bot's copy even when npm installed one of its own.
 * - A module imported from a reloaded plugin module, inside that plugin's directory, carries the same
 *   generation, so a reload runs the plugin's new code throughout and not only in its entry files.
 */
const HOOK_SOURCE = `
const HOST_PACKAGES = new Set(${JSON.stringify(HOST_PACKAGES)});
const SDK_SPECIFIERS = new Set(${JSON.stringify(SDK_SPECIFIERS)});
let hostParent;
const packageDirectories = [];
// Every registration of this same data: URL initializes one cached module instance again: the directories add up.
export function initialize(data) {
	hostParent = data.hostParent;
	packageDirectories.push(...data.packageDirectories);
}
function packageName(specifier) {
	const parts = specifier.split('/');
	return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
export async function resolve(specifier, context, nextResolve) {
	const parent = context.parentURL;
	if (SDK_SPECIFIERS.has(specifier)) return nextResolve('#sdk', { ...context, parentURL: hostParent });
	if (parent !== undefined && HOST_PACKAGES.has(packageName(specifier)) && packageDirectories.some((directory) => parent.startsWith(directory))) {
		return nextResolve(specifier, { ...context, parentURL: hostParent });
	}
	const resolved = await nextResolve(specifier, context);
	if (parent === undefined || !parent.includes('${GENERATION_PARAMETER}=')) return resolved;
	const from = new URL(parent);
	const generation = from.searchParams.get('${GENERATION_PARAMETER}');
	const directory = from.searchParams.get('${DIRECTORY_PARAMETER}');
	if (generation === null || directory === null || !resolved.url.startsWith(directory)) return resolved;
	const url = new URL(resolved.url);
	if (url.search !== '') return resolved;
	url.searchParams.set('${GENERATION_PARAMETER}', generation);
	url.searchParams.set('${DIRECTORY_PARAMETER}', directory);
	return { ...resolved, url: url.href };
}
`;

const registeredDirectories = new Set<string>();

/** A directory as the prefix of the file URLs of the modules inside it. */
function directoryUrl(directory: string): string {
	const href = pathToFileURL(directory).href;
	return href.endsWith('/') ? href : `${href}/`;
}

/**
 * Installs the resolution hook for these plugin package directories (once per directory: every
 * registration adds a hook to Node's chain for the rest of the process, so none is added twice).
 * Needs Node's `module.register` (Node 20.6 or later).
 */
export function shareHostModules(packageDirectories: readonly string[]): void {
	const fresh = packageDirectories.map(directoryUrl).filter((url) => !registeredDirectories.has(url));
	// No package, no hook: a registered hook runs every later import through Node's hooks thread (its own
	// isolate, about 15 MiB), which a bot with only its built-in plugins has no use for.
	if (fresh.length === 0) return;
	for (const url of fresh) registeredDirectories.add(url);
	register(`data:text/javascript,${encodeURIComponent(HOOK_SOURCE)}`, {
		data: { hostParent: import.meta.url, packageDirectories: fresh }
	});
}

let lastGeneration = 0;

/** A generation never used in this process (shared by every bot of the process, so none imports another's cached code). */
export function nextGeneration(): number {
	lastGeneration += 1;
	return lastGeneration;
}

/**
 * The URL that imports a plugin's module afresh: ESM caches every module by URL for the life of the
 * process, so a reload imports its files under a new query. Generation 0 is the plain URL (the start-up
 * load). The cost: the previous generation's modules stay in memory, since ESM cannot unload them.
 */
export function generationUrl(file: string, pluginDirectory: string, generation: number): string {
	const url = pathToFileURL(file);
	if (generation === 0) return url.href;
	url.searchParams.set(GENERATION_PARAMETER, String(generation));
	url.searchParams.set(DIRECTORY_PARAMETER, directoryUrl(pluginDirectory));
	return url.href;
}
