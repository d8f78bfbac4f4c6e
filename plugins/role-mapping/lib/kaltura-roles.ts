import { z } from 'zod';

/** The roles every Kaltura partner has for meetings and events; a partner may define more of its own. */
export const BUILT_IN_KALTURA_ROLES = ['viewer', 'moderator', 'admin'] as const;

/** A built-in role, or the system name of a role the partner defined. */
export const kalturaRoleSchema = z
	.string()
	.regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, { error: 'must be viewer, moderator, admin or a Kaltura role system name (letters, digits, _ and -)' });

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
