import type { GuildConfig } from '../config/guild-config-schema.js';
import { PluginNotLoadedError, type GuildConfigService } from '../config/guild-config-service.js';
import { ConfigRequirementError } from '../config/plugin-requirements.js';
import type { PluginRegistry } from './plugin-registry.js';
import { refusalForAdmins } from './refusal-words.js';

export type SwitchOutcome =
	| { readonly ok: true; readonly config: GuildConfig; readonly changed: boolean }
	| { readonly ok: false; readonly code: 'unknown_plugin' | 'not_loaded' | 'required_by_enabled' | 'requires_disabled'; readonly message: string };

/**
 * Turns a plugin on or off for one guild. The rules (a plugin cannot go off while an enabled plugin
 * requires it, nor come on while a plugin it requires is off) live in the config service, which every
 * write goes through; this turns its refusals into an outcome `/plugins` and the API both answer with.
 */
export async function setPluginEnabled(
	registry: PluginRegistry,
	guildConfig: GuildConfigService,
	guildId: string,
	name: string,
	enabled: boolean
): Promise<SwitchOutcome> {
	if (registry.get(name) === undefined) {
		// Installed but refused at start-up: say why, in words a server admin can act on.
		const refusal = registry.refusals().find((entry) => entry.name === name);
		if (refusal !== undefined) return { ok: false, code: 'not_loaded', message: refusalForAdmins(refusal, registry.refusals()) };
		const known = registry.list().map((entry) => entry.manifest.name);
		return { ok: false, code: 'unknown_plugin', message: `There is no plugin named "${name}". Loaded plugins: ${known.join(', ') || 'none'}.` };
	}
	const config = await guildConfig.resolve(guildId);
	if (guildConfig.isPluginEnabled(config, name) === enabled) return { ok: true, config, changed: false };
	try {
		return { ok: true, config: await guildConfig.set(guildId, `plugins.${name}.enabled`, enabled), changed: true };
	} catch (error) {
		if (error instanceof ConfigRequirementError)
			return { ok: false, code: error.code, message: `${error.issues.map((issue) => issue.message).join('; ')}.` };
		if (error instanceof PluginNotLoadedError) return { ok: false, code: 'not_loaded', message: error.message };
		throw error;
	}
}
