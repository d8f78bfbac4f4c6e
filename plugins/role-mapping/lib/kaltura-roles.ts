import { z } from 'zod';
import type { ConfigIssue, OperatorPolicy, RuntimeConfigCheck } from '#sdk';

/** The roles every Kaltura partner has for meetings and events; a partner may define more of its own. */
export const BUILT_IN_KALTURA_ROLES = ['viewer', 'moderator', 'admin'] as const;

/** A built-in role, or the system name of a role the partner defined. */
export const kalturaRoleSchema = z
	.string()
	// Length and characters are separate checks, so a role that is too long is refused for its length.
	.min(1)
	.max(64)
	.regex(/^(?:[A-Za-z][A-Za-z0-9_-]*)?$/, {
		error: 'must be viewer, moderator, admin or a Kaltura role system name (a letter, then letters, digits, _ and -)'
	});

export type KalturaRole = z.output<typeof kalturaRoleSchema>;

/** A Discord role id (always, once written by /roles or the API); an operator's file may name the role instead. */
export const SNOWFLAKE = /^\d{17,20}$/;

export const roleMappingSettingsSchema = z.strictObject({
	/** The role of a member none of whose Discord roles is mapped. */
	defaultRole: kalturaRoleSchema.default('viewer'),
	/** Discord role (id, or a role name in a config file) -> Kaltura role. */
	mappings: z.record(z.string().min(1).max(100), kalturaRoleSchema).default({})
});

export type RoleMappingSettings = z.output<typeof roleMappingSettingsSchema>;

/** Whether the operator lets admins map to this Kaltura role (KALTURA_MAPPABLE_ROLES; `admin` only when listed). */
export function isMappableRole(role: string, policy: Pick<OperatorPolicy, 'mappableRoles'>): boolean {
	return policy.mappableRoles.includes(role.toLowerCase());
}

/** What an admin is told when the role is not one the operator allows. */
export function unmappableRoleMessage(role: string, policy: Pick<OperatorPolicy, 'mappableRoles'>): string {
	return `the Kaltura role "${role}" is not one this bot's operator lets servers map to (allowed: ${policy.mappableRoles.join(', ')})`;
}

/**
 * Every runtime write of the section (/roles, the role-mappings API, /config set and the config API)
 * comes through here, through the core's runtime check. Mappings in the operator's files are not.
 */
export const roleMappingRuntimeCheck: RuntimeConfigCheck = (section, policy) => {
	if (typeof section !== 'object' || section === null) return [];
	const issues: ConfigIssue[] = [];
	const defaultRole = 'defaultRole' in section ? section.defaultRole : undefined;
	const mappings = 'mappings' in section ? section.mappings : undefined;
	if (typeof defaultRole === 'string' && !isMappableRole(defaultRole, policy))
		issues.push({ path: 'defaultRole', message: unmappableRoleMessage(defaultRole, policy) });
	if (typeof mappings === 'object' && mappings !== null) {
		for (const [key, role] of Object.entries(mappings)) {
			if (typeof role === 'string' && !isMappableRole(role, policy))
				issues.push({ path: `mappings.${key}`, message: unmappableRoleMessage(role, policy) });
		}
	}
	return issues;
};
