import { GatewayIntentBits } from 'discord.js';
import type { BotClient } from '../bot-client.js';
import type { Environment } from '../env.js';
import type { Logger } from '../logger.js';
import { installCoreOverrides } from '../overrides/index.js';
import { CORE_PIECES_DIRECTORY } from '../paths.js';
import type { DiscoveredPlugin } from '../plugins/discovery.js';
import { collectPieces, pieceNameClash, registerPieces } from '../plugins/piece-loader.js';
import { CORE_OWNER, type PluginRegistry } from '../plugins/plugin-registry.js';
import { missingIntentRefusal, refusedRequirementRefusal } from '../plugins/refusal-words.js';
import { missingPrivilegedIntent } from './client.js';

/**
 * Registers the core's pieces, then each plugin's in load order, refusing a plugin that lacks a privileged
 * intent, requires a refused plugin or has a broken piece; logs what loaded and what was refused.
 * Pieces come first: a plugin refused for a broken piece must not get a config section either.
 */
export async function loadPieces(
	client: BotClient,
	ordered: readonly DiscoveredPlugin[],
	plugins: PluginRegistry,
	env: Environment,
	logger: Logger
): Promise<void> {
	const core = await collectPieces(CORE_OWNER, CORE_PIECES_DIRECTORY, client.stores);
	if (core.problems.length > 0) {
		throw new Error(`The core's own pieces failed to load: ${core.problems.map((problem) => `${problem.file}: ${problem.reason}`).join('; ')}`);
	}
	await registerPieces(CORE_OWNER, core.pieces, client.stores, plugins);
	await installCoreOverrides(client.stores);

	const grantedIntents = new Set(env.DISCORD_PRIVILEGED_INTENTS.map((intent) => GatewayIntentBits[intent]));
	for (const plugin of ordered) {
		const { name } = plugin.manifest;
		const missingIntent = missingPrivilegedIntent(plugin.manifest.intents ?? [], grantedIntents);
		if (missingIntent !== undefined) {
			plugins.refuse(missingIntentRefusal(name, missingIntent));
			continue;
		}
		const refusedDependency = Object.keys(plugin.manifest.requires ?? {}).find((dependency) => !plugins.has(dependency));
		if (refusedDependency !== undefined) {
			plugins.refuse(refusedRequirementRefusal(name, refusedDependency));
			continue;
		}
		const collected = await collectPieces(name, plugin.directory, client.stores, plugin);
		if (collected.problems.length > 0) {
			plugins.refuse({ name, kind: 'broken', reason: collected.problems.map((problem) => `${problem.file} ${problem.reason}`).join('; ') });
			continue;
		}
		const clash = pieceNameClash(name, collected.pieces, plugins);
		if (clash !== undefined) {
			plugins.refuse({ name, kind: 'broken', reason: clash });
			continue;
		}
		await registerPieces(name, collected.pieces, client.stores, plugins);
		plugins.add(plugin);
	}
	for (const refusal of plugins.refusals()) {
		// A missing privileged intent is a choice the operator made (or has yet to make), not a fault: a warning with the fix.
		if (refusal.kind === 'intent') logger.warn(`Plugin "${refusal.name}" is installed but not loaded: ${refusal.reason}.`);
		else logger.error(`Plugin "${refusal.name}" was not loaded: ${refusal.reason}.`);
	}
	for (const { manifest } of plugins.list()) logger.info(`Plugin "${manifest.name}" v${manifest.version} loaded.`);
}
