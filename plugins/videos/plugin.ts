import { definePlugin } from '#sdk';
import { videosConfigSchema, videosRuntimeCheck } from './lib/videos-config-schema.js';

export default definePlugin({
	name: 'videos',
	version: '1.2.0',
	description: 'Search the Kaltura video library from Discord and share its videos in a channel',
	core: '^1.4.0',
	// Off until an admin opts in: it shows the partner's catalogue to every member of the server.
	enabledByDefault: false,
	configSchema: videosConfigSchema,
	// Watch links only to the hosts the operator allows (KALTURA_LINK_HOSTS).
	runtimeConfigCheck: videosRuntimeCheck
});
