import { basename, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Piece, Store, StoreRegistry } from '@sapphire/framework';
import { listModuleFiles } from './module-files.js';
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
	stores: StoreRegistry
): Promise<{ pieces: CollectedPiece[]; problems: PieceLoadProblem[] }> {
	const pieces: CollectedPiece[] = [];
	const problems: PieceLoadProblem[] = [];
	for (const folder of PIECE_FOLDERS) {
		const store = stores.get(folder as never) as Store<Piece> | undefined;
		if (store === undefined) continue;
		for (const file of await listModuleFiles(join(rootDirectory, folder))) {
			const outcome = await importPieceClass(file, store);
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

async function importPieceClass(file: string, store: Store<Piece>): Promise<{ ok: true; piece: PieceClass } | { ok: false; reason: string }> {
	let exports: Record<string, unknown>;
	try {
		exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
	} catch (error) {
		return { ok: false, reason: `failed to load: ${(error as Error).message}` };
	}
	const pieces = Object.values(exports).filter(
		(value): value is PieceClass => typeof value === 'function' && value.prototype instanceof (store.Constructor as unknown as PieceClass)
	);
	if (pieces.length === 1) return { ok: true, piece: pieces[0]! };
	return {
		ok: false,
		reason: pieces.length === 0 ? `exports no ${store.name} piece` : `exports ${pieces.length} ${store.name} pieces; keep one piece per file`
	};
}
