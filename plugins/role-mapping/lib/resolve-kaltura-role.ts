import { container } from '@sapphire/framework';
import type { GuildMember } from 'discord.js';
import { SNOWFLAKE, type KalturaRole, type RoleMappingSettings } from './kaltura-roles.js';

export interface GuildRoleInfo {
	readonly id: string;
	readonly name: string;
	/** Discord's position: higher is above in the server's role list. */
	readonly position: number;
}

export type ResolvedKalturaRole =
	| { readonly role: KalturaRole; readonly source: 'mapping'; readonly discordRoleId: string }
	| { readonly role: KalturaRole; readonly source: 'default' };

/**
 * The Kaltura role of a member: of the member's Discord roles that are mapped, the one highest in the
 * server's role list decides, as Discord's own role hierarchy does; a member with none gets the
 * default. A mapping that names a role (from a config file) applies to the role of that name.
 */
export function resolveKalturaRole(settings: RoleMappingSettings, memberRoleIds: readonly string[], guildRoles: readonly GuildRoleInfo[]): ResolvedKalturaRole {
	const byId = new Map(guildRoles.map((role) => [role.id, role]));
	const mappedById = new Map<string, KalturaRole>();
	for (const [key, kalturaRole] of Object.entries(settings.mappings)) {
		if (SNOWFLAKE.test(key)) mappedById.set(key, kalturaRole);
		else {
			const named = guildRoles.find((role) => role.name.toLowerCase() === key.toLowerCase());
			if (named && !mappedById.has(named.id)) mappedById.set(named.id, kalturaRole);
		}
	}
	let best: { role: GuildRoleInfo; kalturaRole: KalturaRole } | undefined;
	for (const roleId of memberRoleIds) {
		const kalturaRole = mappedById.get(roleId);
		const role = byId.get(roleId);
		if (kalturaRole === undefined || role === undefined) continue;
		if (best === undefined || role.position > best.role.position || (role.position === best.role.position && role.id < best.role.id)) {
			best = { role, kalturaRole };
		}
	}
	return best ? { role: best.kalturaRole, source: 'mapping', discordRoleId: best.role.id } : { role: settings.defaultRole, source: 'default' };
}

/** The settings of the role-mapping plugin in a guild. */
export async function roleMappingSettings(guildId: string): Promise<RoleMappingSettings> {
	return (await container.guildConfig.resolve(guildId))['role-mapping'] as RoleMappingSettings;
}

/** The one function other plugins call: this member's Kaltura role, from the guild's mapping. */
export async function kalturaRoleOf(member: GuildMember): Promise<ResolvedKalturaRole> {
	const settings = await roleMappingSettings(member.guild.id);
	const guildRoles = member.guild.roles.cache.map((role) => ({ id: role.id, name: role.name, position: role.position }));
	return resolveKalturaRole(settings, [...member.roles.cache.keys()], guildRoles);
}
