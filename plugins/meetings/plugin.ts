import { definePlugin } from '#sdk';
import { meetingsConfigSchema, meetingsRuntimeCheck } from './lib/meetings-config-schema.js';

export default definePlugin({
	name: 'meetings',
	version: '1.0.0',
	description: 'Start, join, list and end Kaltura meetings, classrooms and webinars from Discord',
	core: '^1.3.0',
	// Who hosts and who only watches comes from the member's mapped Kaltura role.
	requires: { 'role-mapping': '^1.0.0' },
	// Off until an admin opts in: it creates objects on the partner's Kaltura account.
	enabledByDefault: false,
	configSchema: meetingsConfigSchema,
	// Join links only to the hosts the operator allows (KALTURA_LINK_HOSTS).
	runtimeConfigCheck: meetingsRuntimeCheck
});
