import { definePlugin } from '#sdk';
import { roleMappingRuntimeCheck, roleMappingSettingsSchema } from './lib/kaltura-roles.js';

export default definePlugin({
	name: 'role-mapping',
	version: '1.0.0',
	description: 'Discord roles decide Kaltura roles (viewer, moderator, admin or your own)',
	core: '^1.1.0',
	enabledByDefault: true,
	configSchema: roleMappingSettingsSchema,
	// Admins map only to the roles the operator allows (KALTURA_MAPPABLE_ROLES); the operator's files may map to any.
	runtimeConfigCheck: roleMappingRuntimeCheck
});
