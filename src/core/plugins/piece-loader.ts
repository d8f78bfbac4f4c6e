import { basename, extname, join } from 'node:path';
import {
	AliasStore,
	type Piece,
	type Store,
	type StoreManuallyRegisteredPiece,
	type StoreRegistry,
	type StoreRegistryEntries
} from '@sapphire/framework';
import { RouterRoot, RouteStore } from '@sapphire/plugin-api';
import { errorMessage } from '../error-code.js';
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

/** A folder's name, which is also the name of the Sapphire store it feeds. */
export type PieceFolder = (typeof PIECE_FOLDERS)[number];

/** The piece classes a store accepts, as Sapphire types them for `loadPiece`. */
type PieceClassOf<Folder extends PieceFolder> = StoreManuallyRegisteredPiece<Folder>['piece'];

/** How an owner's modules are found and imported: their extension, and which import of them (see `generationUrl`). */
export interface ModuleSource {
	readonly extension: ModuleExtension;
	readonly generation: number;
}

const RUNTIME_SOURCE: ModuleSource = { extension: RUNTIME_EXTENSION, generation: 0 };

/** One piece class bound to the store it belongs in; a union over the folders so `store` and `piece` always agree. */
export type CollectedPiece<Folders extends PieceFolder = PieceFolder> = {
	[Folder in Folders]: { readonly store: Folder; readonly name: string; readonly piece: PieceClassOf<Folder> };
}[Folders];

/** The store a folder feeds, or undefined when no Sapphire plugin registered it (`routes` without the API plugin). */
function storeOf<Folder extends PieceFolder>(stores: StoreRegistry, folder: Folder): StoreRegistryEntries[Folder] | undefined {
	return stores.get(folder);
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
	const table = emptyTable();
	const problems: PieceLoadProblem[] = [];
	const collect = async <Folder extends PieceFolder>(folder: Folder): Promise<void> => {
		table[folder].push(...(await collectFolder(folder, { owner, rootDirectory, stores, source, problems })));
	};
	for (const folder of PIECE_FOLDERS) await collect(folder);
	return { pieces: flatten(table), problems };
}

/** Pieces by folder: a table keyed by folder keeps each class typed for its own store. */
type PiecesByFolder = { [Folder in PieceFolder]: CollectedPiece<Folder>[] };

function emptyTable(): PiecesByFolder {
	return { arguments: [], commands: [], 'interaction-handlers': [], listeners: [], middlewares: [], preconditions: [], routes: [] };
}

function flatten(table: PiecesByFolder): CollectedPiece[] {
	return PIECE_FOLDERS.flatMap((folder): CollectedPiece[] => table[folder]);
}

interface Collection {
	readonly owner: string;
	readonly rootDirectory: string;
	readonly stores: StoreRegistry;
	readonly source: ModuleSource;
	readonly problems: PieceLoadProblem[];
}

/** Collects one folder's pieces; generic over the folder so each class is checked against, and typed for, its own store. */
async function collectFolder<Folder extends PieceFolder>(folder: Folder, collection: Collection): Promise<CollectedPiece<Folder>[]> {
	const { owner, rootDirectory, stores, source, problems } = collection;
	const pieces: CollectedPiece<Folder>[] = [];
	const store = storeOf(stores, folder);
	if (store === undefined) return pieces;
	for (const file of await listModuleFiles(join(rootDirectory, folder), source.extension)) {
		const outcome = await importPieceClass(generationUrl(file, rootDirectory, source.generation), folder, store);
		if (!outcome.ok) {
			problems.push({ file, reason: outcome.reason });
			continue;
		}
		const name = `${owner}-${basename(file, extname(file))}`;
		if (pieces.some((piece) => piece.name === name)) {
			problems.push({ file, reason: `another ${folder} piece is already named "${name}"; rename the file` });
			continue;
		}
		pieces.push(bindPiece(folder, name, outcome.piece));
	}
	return pieces;
}

/**
 * Why a plugin's pieces cannot join the stores, or undefined. Sapphire replaces a piece of the same name without
 * a word, and names are `<owner>-<file>`: plugin "a" with `b-c.ts` and plugin "a-b" with `c.ts` both make `a-b-c`.
 */
export function pieceNameClash(owner: string, pieces: readonly CollectedPiece[], registry: PluginRegistry): string | undefined {
	const taken = pieces.flatMap((piece) => {
		const holder = registry.ownerOf(piece.store, piece.name);
		return holder !== undefined && holder !== owner ? [`its ${piece.store} piece "${piece.name}" has the name of one of "${holder}"`] : [];
	});
	return taken.length > 0 ? `${taken.join('; ')}; rename the file` : undefined;
}

/** Hands collected pieces to Sapphire as virtual pieces and records who owns them. */
export async function registerPieces(
	owner: string,
	pieces: readonly CollectedPiece[],
	stores: StoreRegistry,
	registry: PluginRegistry
): Promise<void> {
	for (const piece of pieces) {
		registry.claimPiece(piece.store, piece.name, owner);
		await stores.loadPiece<PieceFolder>(piece);
	}
}

/**
 * The classes of the pieces an owner has registered, as {@link registerPieces} takes them: a reload whose new
 * code fails puts the running version back with exactly these (importing its files again could mix in new ones).
 */
export function registeredPieces(owner: string, stores: StoreRegistry, registry: PluginRegistry): CollectedPiece[] {
	const table = emptyTable();
	const collect = <Folder extends PieceFolder>(folder: Folder): void => {
		const store = storeOf(stores, folder);
		if (store === undefined) return;
		for (const name of registry.piecesOf(owner, folder)) {
			const piece: unknown = store.get(name)?.constructor;
			if (isPieceClassOf(piece, store)) table[folder].push(bindPiece(folder, name, piece));
		}
	};
	for (const folder of PIECE_FOLDERS) collect(folder);
	return flatten(table);
}

/**
 * Takes an owner's pieces out of their stores: each piece's `onUnload` runs (a listener leaves its emitter,
 * a route its router, a command its names), and aliases still pointing at it (the application command ids
 * the registrar added) are dropped so nothing routes to a piece that is gone.
 */
export async function unregisterPieces(owner: string, stores: StoreRegistry, registry: PluginRegistry): Promise<void> {
	for (const folder of PIECE_FOLDERS) {
		const store: Store<Piece> | undefined = storeOf(stores, folder);
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

async function importPieceClass<Folder extends PieceFolder>(
	url: string,
	folder: Folder,
	store: StoreRegistryEntries[Folder]
): Promise<{ ok: true; piece: PieceClassOf<Folder> } | { ok: false; reason: string }> {
	let exports: object;
	try {
		exports = await import(url);
	} catch (error) {
		return { ok: false, reason: `failed to load: ${errorMessage(error)}` };
	}
	const pieces = Object.values(exports).filter((value) => isPieceClassOf<Folder>(value, store));
	const [piece, ...others] = pieces;
	if (piece !== undefined && others.length === 0) return { ok: true, piece };
	return {
		ok: false,
		reason: pieces.length === 0 ? `exports no ${folder} piece` : `exports ${pieces.length} ${folder} pieces; keep one piece per file`
	};
}

function isPieceClassOf<Folder extends PieceFolder>(value: unknown, store: StoreRegistryEntries[Folder]): value is PieceClassOf<Folder> {
	return typeof value === 'function' && value.prototype instanceof store.Constructor;
}

/** Pairs a piece class with its folder's name as one {@link CollectedPiece}. */
function bindPiece<Folder extends PieceFolder>(folder: Folder, name: string, piece: PieceClassOf<Folder>): CollectedPiece<Folder> {
	return { store: folder, name, piece };
}
