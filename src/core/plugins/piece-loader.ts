import { basename, extname, join } from 'node:path';
import { AliasStore, type Piece, type Store, type StoreRegistry } from '@sapphire/framework';
import { RouterRoot, RouteStore } from '@sapphire/plugin-api';
import { generationUrl } from './host-modules.js';
import { listModuleFiles, RUNTIME_EXTENSION, type ModuleExtension } from './module-files.js';
import type { PluginRegistry } from './plugin-registry.js';

/**
 * The piece folders a plugin (or the core) may have; each is named after the Sapphire store it feeds.
 * Stores registered by Sapphire plugins (`routes`, `middlewares`) are included, so this runs after the
 * client is constructed.
 */
export const PIECE_FOLDERS = ['arguments', 'commands', 'interaction-handlers', 'listeners', 'middlewares', 'preconditions', 'routes'] as const;

export interface PieceLoadProblem {
	readonly file: string;
	readonly reason: string;
}

type PieceClass = new (...args: never[]) => Piece;

/** How an owner's modules are found and imported: their extension, and which import of them (see `generationUrl`). */
export interface ModuleSource {
	readonly extension: ModuleExtension;
	readonly generation: number;
}

const RUNTIME_SOURCE: ModuleSource = { extension: RUNTIME_EXTENSION, generation: 0 };

export interface CollectedPiece {
	readonly store: string;
	readonly name: string;
	readonly piece: PieceClass;
}

/**
 * Imports the piece files of one owner (the core or a plugin), naming each `<owner>-<file name>`.
 *
 * Sapphire drops a piece silently when another has the same name, and only detects `.ts` pieces under
 * some TypeScript runtimes; importing here makes both visible: a duplicate or a broken file is
 * reported, never lost quietly, and the same code loads `.ts` in development and `.js` when built.
 * Nothing is registered yet, so a plugin with one broken file can be refused whole.
 */
export async function collectPieces(
	owner: string,
	rootDirectory: string,
	stores: StoreRegistry,
	source: ModuleSource = RUNTIME_SOURCE
): Promise<{ pieces: CollectedPiece[]; problems: PieceLoadProblem[] }> {
	const pieces: CollectedPiece[] = [];
	const problems: PieceLoadProblem[] = [];
	for (const folder of PIECE_FOLDERS) {
		const store = stores.get(folder as never) as Store<Piece> | undefined;
		if (store === undefined) continue;
		for (const file of await listModuleFiles(join(rootDirectory, folder), source.extension)) {
			const outcome = await importPieceClass(generationUrl(file, rootDirectory, source.generation), store);
			if (!outcome.ok) {
				problems.push({ file, reason: outcome.reason });
				continue;
			}
			const name = `${owner}-${basename(file, extname(file))}`;
			if (pieces.some((piece) => piece.store === folder && piece.name === name)) {
				problems.push({ file, reason: `another ${folder} piece is already named "${name}"; rename the file` });
				continue;
			}
			pieces.push({ store: folder, name, piece: outcome.piece });
		}
	}
	return { pieces, problems };
}

/** Hands collected pieces to Sapphire as virtual pieces and records who owns them. */
export async function registerPieces(
	owner: string,
	pieces: readonly CollectedPiece[],
	stores: StoreRegistry,
	registry: PluginRegistry
): Promise<void> {
	for (const { store, name, piece } of pieces) {
		registry.claimPiece(store, name, owner);
		await stores.loadPiece({ store: store as never, name, piece: piece as never });
	}
}

/**
 * The classes of the pieces an owner has registered, as {@link registerPieces} takes them: a reload whose new
 * code fails puts the running version back with exactly these (importing its files again could mix in new ones).
 */
export function registeredPieces(owner: string, stores: StoreRegistry, registry: PluginRegistry): CollectedPiece[] {
	const pieces: CollectedPiece[] = [];
	for (const folder of PIECE_FOLDERS) {
		const store = stores.get(folder as never) as Store<Piece> | undefined;
		if (store === undefined) continue;
		for (const name of registry.piecesOf(owner, folder)) {
			const piece: unknown = store.get(name)?.constructor;
			if (isPieceClassOf(piece, store)) pieces.push({ store: folder, name, piece });
		}
	}
	return pieces;
}

/**
 * Takes an owner's pieces out of their stores: each piece's `onUnload` runs (a listener leaves its emitter,
 * a route its router, a command its names), and aliases still pointing at it (the application command ids
 * the registrar added) are dropped so nothing routes to a piece that is gone.
 */
export async function unregisterPieces(owner: string, stores: StoreRegistry, registry: PluginRegistry): Promise<void> {
	for (const folder of PIECE_FOLDERS) {
		// The same lookup as collectPieces: the registry's `get` is typed per store name, not per folder string.
		const store = stores.get(folder as never) as Store<Piece> | undefined;
		if (store === undefined) continue;
		for (const name of registry.piecesOf(owner, folder)) {
			const piece = store.get(name);
			if (piece !== undefined) {
				await store.unload(piece);
				if (store instanceof AliasStore) {
					for (const [alias, holder] of store.aliases) if (holder === piece) store.aliases.delete(alias);
				}
			}
			forgetVirtualPiece(store, name);
			registry.releasePiece(folder, name);
		}
		if (store instanceof RouteStore) rebuildRouter(store);
	}
}

/**
 * Routes every remaining route afresh. plugin-api 8.3.1 removes an unloaded route from its router with
 * `RouterBranch._performRemove`, which swaps the static and the dynamic case: a route under a `[param]`
 * segment (every guild route) stays routable after its piece is gone. A new router holding exactly the
 * store's routes is right whatever the removal did. `router` is declared readonly but is a plain field
 * the server reads on every request, so it is redefined rather than assigned.
 */
function rebuildRouter(store: RouteStore): void {
	const router = new RouterRoot();
	for (const route of store.values()) router.add(route);
	Object.defineProperty(store, 'router', { value: router, writable: true, enumerable: true, configurable: true });
}

/**
 * Sapphire keeps every piece handed to `loadPiece` in a queue it loads again on `loadAll`; a piece of an
 * unloaded plugin must not come back that way. The queue is under a module-private symbol, found by its
 * description (as BotClient finds it).
 */
function forgetVirtualPiece(store: Store<Piece>, name: string): void {
	const symbol = Object.getOwnPropertySymbols(store).find((candidate) => candidate.description === '@sapphire/pieces:ManuallyRegisteredPieces');
	const queue: unknown = symbol === undefined ? undefined : Reflect.get(store, symbol);
	if (queue instanceof Map) queue.delete(name);
}

async function importPieceClass(url: string, store: Store<Piece>): Promise<{ ok: true; piece: PieceClass } | { ok: false; reason: string }> {
	let exports: Record<string, unknown>;
	try {
		exports = (await import(url)) as Record<string, unknown>;
	} catch (error) {
		return { ok: false, reason: `failed to load: ${(error as Error).message}` };
	}
	const pieces = Object.values(exports).filter((value): value is PieceClass => isPieceClassOf(value, store));
	const [piece, ...others] = pieces;
	if (piece !== undefined && others.length === 0) return { ok: true, piece };
	return {
		ok: false,
		reason: pieces.length === 0 ? `exports no ${store.name} piece` : `exports ${pieces.length} ${store.name} pieces; keep one piece per file`
	};
}

function isPieceClassOf(value: unknown, store: Store<Piece>): value is PieceClass {
	return typeof value === 'function' && value.prototype instanceof (store.Constructor as unknown as PieceClass);
}
