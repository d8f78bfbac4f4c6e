import type { GuildMember } from 'discord.js';
import { z } from 'zod';
import { operatorPolicy, type OperatorPolicy } from '#sdk';
import roleMapping from '../plugin.js';
import { isMappableRole, SNOWFLAKE, type KalturaRole, type RoleMappingSettings } from './kaltura-roles.js';

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
export function resolveKalturaRole(
	settings: RoleMappingSettings,
	memberRoleIds: readonly string[],
	guildRoles: readonly GuildRoleInfo[]
): ResolvedKalturaRole {
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
export function roleMappingSettings(guildId: string): Promise<RoleMappingSettings> {
	return roleMapping.settings(guildId);
}

/**
 * What an admin stored at run time, only as far as this needs it: which mappings and whether a default
 * role came from there. A stored section of another shape (written by another version) counts as none.
 */
const storedOverrideSchema = z.looseObject({
	defaultRole: z.unknown().optional(),
	mappings: z.record(z.string(), z.unknown()).optional()
});

/**
 * The settings as the operator's policy lets them act: a role an admin wrote at run time that the
 * operator does not allow (stored before KALTURA_MAPPABLE_ROLES was tightened) is ignored, and the
 * operator's files decide that mapping or the default instead. Writes are refused up front; this is
 * the check at use, for values that were already stored.
 */
export async function effectiveRoleMappingSettings(
	guildId: string,
	policy: Pick<OperatorPolicy, 'mappableRoles'> = operatorPolicy()
): Promise<RoleMappingSettings> {
	const settings = await roleMappingSettings(guildId);
	const allowed = (role: string) => isMappableRole(role, policy);
	if (allowed(settings.defaultRole) && Object.values(settings.mappings).every(allowed)) return settings;
	const stored = storedOverrideSchema.safeParse(await roleMapping.storedOverride(guildId));
	const runtime = stored.success ? stored.data : undefined;
	const files = roleMapping.baselineSettings(guildId);
	const mappings: Record<string, KalturaRole> = {};
	for (const [key, role] of Object.entries(settings.mappings)) {
		const fromAdmin = runtime?.mappings !== undefined && Object.hasOwn(runtime.mappings, key);
		const fromFiles = Object.hasOwn(files.mappings, key) ? files.mappings[key] : undefined;
		if (!fromAdmin || allowed(role)) mappings[key] = role;
		else if (fromFiles !== undefined) mappings[key] = fromFiles;
	}
	const defaultFromAdmin = typeof runtime?.defaultRole === 'string';
	return { defaultRole: defaultFromAdmin && !allowed(settings.defaultRole) ? files.defaultRole : settings.defaultRole, mappings };
}

/** The one function other plugins call: this member's Kaltura role, from the guild's mapping. */
export async function kalturaRoleOf(member: GuildMember): Promise<ResolvedKalturaRole> {
	const settings = await effectiveRoleMappingSettings(member.guild.id);
	const guildRoles = member.guild.roles.cache.map((role) => ({ id: role.id, name: role.name, position: role.position }));
	return resolveKalturaRole(settings, [...member.roles.cache.keys()], guildRoles);
}
