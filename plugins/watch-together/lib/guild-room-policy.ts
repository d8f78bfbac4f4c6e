import { container } from '@sapphire/framework';
import { isServedGuild } from '#sdk';
import { kalturaRoleOf } from '../../role-mapping/api.js';
import { entryVisibleToMember } from '../../videos/api.js';
import watchTogether from '../plugin.js';
import type { RoomPolicy } from './room-policy.js';

/** Kaltura roles that may control any room of the server when `moderatorsControl` is on. */
const MODERATING_ROLES = new Set(['moderator', 'admin']);

/** The bot's answers: guild config and the operator's list of servers, role mapping, the member's own Kaltura session. */
export const guildRoomPolicy: RoomPolicy = {
	async admits(guildId) {
		if (!isServedGuild(guildId)) return false;
		const { guildConfig } = container;
		const config = guildConfig.cached(guildId) ?? (await guildConfig.resolve(guildId));
		return guildConfig.isPluginEnabled(config, watchTogether.name);
	},
	settings(guildId) {
		return watchTogether.settings(guildId);
	},
	async isModerator(guildId, userId) {
		const guild = container.client.guilds.cache.get(guildId);
		if (guild === undefined) return false;
		const member = await guild.members.fetch(userId).catch(() => undefined);
		if (member === undefined) return false;
		return MODERATING_ROLES.has((await kalturaRoleOf(member)).role);
	},
	async mayWatch(guildId, userId, entryId) {
		return (await entryVisibleToMember(guildId, userId, entryId)) !== undefined;
	}
};
