import { GatewayIntentBits } from 'discord.js';
import semver from 'semver';
import { PRIVILEGED_INTENTS } from '../env.js';
import { CORE_API_VERSION } from '../version.js';
import type { PluginRefusal } from './discovery.js';
import type { PluginManifest } from './manifest.js';
import type { PluginRegistry } from './plugin-registry.js';
import { missingIntentRefusal } from './refusal-words.js';

const PRIVILEGED_NAMES: ReadonlySet<string> = new Set(PRIVILEGED_INTENTS);

/**
 * The start-up checks of one plugin loaded at run time, against what runs now: the core's version, the
 * plugins it requires (loaded, in range), the plugins that require it (still in range of a new version),
 * and its gateway intents, which are fixed when the bot connects (a new one needs a restart).
 */
export function runtimeRefusal(
	manifest: PluginManifest,
	registry: PluginRegistry,
	intents: { readonly connected: (bit: number) => boolean; readonly granted: readonly string[] }
): PluginRefusal | null {
	const { name } = manifest;
	if (!semver.satisfies(CORE_API_VERSION, manifest.core)) {
		return { name, kind: 'incompatible', reason: `it supports core ${manifest.core} but this core is ${CORE_API_VERSION}` };
	}
	for (const [dependency, range] of Object.entries(manifest.requires ?? {})) {
		const present = registry.get(dependency);
		if (present === undefined)
			return { name, kind: 'requirement', requirement: dependency, reason: `it requires "${dependency}" ${range}, which is not loaded` };
		if (!semver.satisfies(present.manifest.version, range)) {
			return { name, kind: 'incompatible', reason: `it requires "${dependency}" ${range} but ${present.manifest.version} is loaded` };
		}
	}
	for (const dependent of registry.dependentsOf(name)) {
		const range = dependent.manifest.requires?.[name] ?? '*';
		if (!semver.satisfies(manifest.version, range)) {
			return {
				name,
				kind: 'incompatible',
				reason: `the loaded plugin "${dependent.manifest.name}" requires ${name} ${range}, not ${manifest.version}`
			};
		}
	}
	for (const intent of manifest.intents ?? []) {
		if (intents.connected(intent)) continue;
		const intentName = GatewayIntentBits[intent] ?? String(intent);
		if (PRIVILEGED_NAMES.has(intentName) && !intents.granted.includes(intentName)) return missingIntentRefusal(name, intentName);
		return {
			name,
			kind: 'intent',
			intent: intentName,
			reason: `it needs the gateway intent ${intentName}, which the bot did not ask Discord for when it connected; restart the bot to load it`
		};
	}
	return null;
}
