import { definePlugin } from '../../src/core/plugins/manifest.js';
import { roleMappingSettingsSchema } from './lib/kaltura-roles.js';

export default definePlugin({
	name: 'role-mapping',
	version: '1.0.0',
	description: 'Discord roles decide Kaltura roles (viewer, moderator, admin or your own)',
	core: '^1.0.0',
	enabledByDefault: true,
	configSchema: roleMappingSettingsSchema
});
