import type { GuildConfig } from '../config/guild-config-schema.js';
import type { GuildConfigService } from '../config/guild-config-service.js';
import type { PluginRegistry } from './plugin-registry.js';

export type SwitchOutcome =
	| { readonly ok: true; readonly config: GuildConfig; readonly changed: boolean }
	| { readonly ok: false; readonly code: 'unknown_plugin' | 'required_by_enabled' | 'requires_disabled'; readonly message: string };

/**
 * Turns a plugin on or off for one guild, keeping requirements whole: a plugin cannot go off while an
 * enabled plugin requires it, nor come on while a plugin it requires is off. `/plugins` and the API
 * both come through here, so they refuse the same things with the same words.
 */
export async function setPluginEnabled(
	registry: PluginRegistry,
	guildConfig: GuildConfigService,
	guildId: string,
	name: string,
	enabled: boolean
): Promise<SwitchOutcome> {
	const plugin = registry.get(name);
	if (plugin === undefined) {
		const known = registry.list().map((entry) => entry.manifest.name);
		return { ok: false, code: 'unknown_plugin', message: `There is no plugin named "${name}". Loaded plugins: ${known.join(', ') || 'none'}.` };
	}
	const config = await guildConfig.resolve(guildId);
	if (guildConfig.isPluginEnabled(config, name) === enabled) return { ok: true, config, changed: false };

	if (enabled) {
		const missing = Object.keys(plugin.manifest.requires ?? {}).filter((dependency) => !guildConfig.isPluginEnabled(config, dependency));
		if (missing.length > 0) {
			return { ok: false, code: 'requires_disabled', message: `"${name}" needs ${quoteList(missing)} turned on first.` };
		}
	} else {
		const dependents = registry.dependentsOf(name).map((entry) => entry.manifest.name).filter((dependent) => guildConfig.isPluginEnabled(config, dependent));
		if (dependents.length > 0) {
			return { ok: false, code: 'required_by_enabled', message: `"${name}" cannot be turned off while ${quoteList(dependents)} ${dependents.length === 1 ? 'needs' : 'need'} it; turn ${dependents.length === 1 ? 'that' : 'those'} off first.` };
		}
	}
	return { ok: true, config: await guildConfig.set(guildId, `plugins.${name}.enabled`, enabled), changed: true };
}

function quoteList(names: readonly string[]): string {
	return names.map((name) => `"${name}"`).join(', ');
}
