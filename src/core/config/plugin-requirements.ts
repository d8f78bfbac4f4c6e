import { ConfigValidationError, type ConfigIssue, type GuildConfig } from './guild-config-schema.js';

/** Per plugin, the plugins it requires (its manifest's `requires`), for the loaded plugins. */
export type PluginRequirements = ReadonlyMap<string, readonly string[]>;

export type RequirementCode = 'requires_disabled' | 'required_by_enabled';

/**
 * A write that would leave a plugin on while a plugin it requires is off. Every door that writes guild
 * config (`/config`, `/plugins`, plugin commands, the API) goes through the config service, which
 * throws this, so all of them refuse the same things in the same words.
 */
export class ConfigRequirementError extends ConfigValidationError {
	public constructor(
		issues: readonly ConfigIssue[],
		/** Why the first issue arose: a plugin turned on before what it needs, or a needed plugin turned off. */
		public readonly code: RequirementCode
	) {
		super(issues);
		this.name = 'ConfigRequirementError';
	}
}

function enabled(config: GuildConfig, plugin: string): boolean {
	return config.plugins[plugin]?.enabled === true;
}

/** Pairs (plugin, requirement) where the plugin is on and its requirement is off. */
function unmet(requirements: PluginRequirements, config: GuildConfig): [plugin: string, requirement: string][] {
	const pairs: [string, string][] = [];
	for (const [plugin, required] of requirements) {
		if (!enabled(config, plugin)) continue;
		for (const requirement of required) if (!enabled(config, requirement)) pairs.push([plugin, requirement]);
	}
	return pairs;
}

/**
 * The requirement breaks a write brings in, worded for whoever made it. Breaks already there before (an
 * operator's file turning a plugin on without what it needs) do not block unrelated writes; the plugin
 * is then reported where it runs.
 */
export function checkRequirements(requirements: PluginRequirements, before: GuildConfig | undefined, after: GuildConfig): void {
	const known = new Set((before === undefined ? [] : unmet(requirements, before)).map((pair) => pair.join('\u0000')));
	const fresh = unmet(requirements, after).filter((pair) => !known.has(pair.join('\u0000')));
	if (fresh.length === 0) return;

	const turnedOn = new Map<string, string[]>();
	const turnedOff = new Map<string, string[]>();
	for (const [plugin, requirement] of fresh) {
		// The plugin was on already: what changed is its requirement going off.
		if (before !== undefined && enabled(before, plugin)) append(turnedOff, requirement, plugin);
		else append(turnedOn, plugin, requirement);
	}
	const issues: ConfigIssue[] = [
		...[...turnedOn].map(([plugin, missing]) => ({
			path: `plugins.${plugin}.enabled`,
			message: `"${plugin}" needs ${quoteList(missing)} turned on first`
		})),
		...[...turnedOff].map(([requirement, dependents]) => ({
			path: `plugins.${requirement}.enabled`,
			message: `"${requirement}" cannot be turned off while ${quoteList(dependents)} ${dependents.length === 1 ? 'needs' : 'need'} it; turn ${dependents.length === 1 ? 'that' : 'those'} off first`
		}))
	];
	throw new ConfigRequirementError(issues, turnedOn.size > 0 ? 'requires_disabled' : 'required_by_enabled');
}

function append(map: Map<string, string[]>, key: string, value: string): void {
	const list = map.get(key) ?? [];
	list.push(value);
	map.set(key, list);
}

export function quoteList(names: readonly string[]): string {
	return names.map((name) => `"${name}"`).join(', ');
}
