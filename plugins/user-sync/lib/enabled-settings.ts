import { container } from '@sapphire/framework';
import { isServedGuild } from '#sdk';
import userSync from '../plugin.js';
import type { UserSyncSettings } from './user-sync-settings.js';

/**
 * The guild's user-sync settings when the bot serves the guild (ALLOWED_GUILD_IDS) and the plugin is on
 * there, else undefined. Listeners and the periodic passes get no preconditions from Sapphire, so each
 * asks this before doing anything: a server outside the operator's list gets nothing created, updated,
 * blocked or deleted on Kaltura, whatever its configuration says. Never throws: a config store outage is
 * logged and counts as "off" (better a missed sync, which the next pass repairs, than a write the admin
 * may have turned off).
 */
export async function enabledSettings(guildId: string): Promise<UserSyncSettings | undefined> {
	if (!isServedGuild(guildId)) return undefined;
	const { guildConfig } = container;
	try {
		const config = guildConfig.cached(guildId) ?? (await guildConfig.resolve(guildId));
		return guildConfig.isPluginEnabled(config, userSync.name) ? userSync.settingsIn(config) : undefined;
	} catch (error) {
		container.logger.warn(`User sync: the configuration of guild ${guildId} could not be read; nothing synced:`, error);
		return undefined;
	}
}
