import { buildGuildConfigSchema, CORE_SECTIONS } from '../config/guild-config-schema.js';
import type { PluginDependentOptions } from '../config/guild-config-service.js';
import { loadConfigLayers } from '../config/load-config-layers.js';
import type { Logger } from '../logger.js';
import type { OperatorPolicy } from '../policy/operator-policy.js';
import { runtimeConfigChecks } from '../policy/runtime-config-check.js';
import type { PluginManifest } from './manifest.js';
import type { PluginRegistry } from './plugin-registry.js';
import { refusalForAdmins } from './refusal-words.js';

/** Where guild config comes from, as the bot was started with it. */
export interface PluginConfigInputs {
	readonly directory: string;
	readonly environment: Readonly<Record<string, string | undefined>>;
	readonly logger: Logger;
	readonly policy: OperatorPolicy;
}

/**
 * What guild config knows of plugins after one was loaded, unloaded or reloaded at run time.
 *
 * A plugin unloaded at run time keeps its section and switch in the schema (`retained`): admins' stored
 * values for it stay valid, so a guild with such values keeps its other runtime settings instead of falling
 * back to its files, and a later load finds them again. Writes to it are refused with why (as for a plugin
 * refused at start-up).
 */
export async function pluginConfigOptions(
	registry: PluginRegistry,
	retained: readonly PluginManifest[],
	inputs: PluginConfigInputs
): Promise<PluginDependentOptions> {
	const loaded = registry.list().map(({ manifest }) => manifest);
	const known = [...loaded, ...retained.filter((manifest) => !registry.has(manifest.name))];
	const knownNames = new Set(known.map((manifest) => manifest.name));
	const schema = buildGuildConfigSchema(known);
	const notLoaded = registry.refusals().filter((refusal) => !registry.has(refusal.name));
	// Read again: a plugin loaded for the first time gets the defaults and file overrides start-up set aside.
	const { defaults, fileOverrides } = await loadConfigLayers({
		directory: inputs.directory,
		schema,
		inactiveSections: new Set(notLoaded.map((refusal) => refusal.name).filter((name) => !knownNames.has(name))),
		environment: inputs.environment,
		logger: inputs.logger
	});
	return {
		defaults,
		fileOverrides,
		schema,
		sections: new Set([...CORE_SECTIONS, ...knownNames]),
		pluginNames: knownNames,
		requirements: new Map(loaded.map((manifest) => [manifest.name, Object.keys(manifest.requires ?? {})])),
		notLoaded: new Map(notLoaded.map((refusal) => [refusal.name, refusalForAdmins(refusal, registry.refusals())])),
		runtimeChecks: runtimeConfigChecks(loaded, inputs.policy)
	};
}
