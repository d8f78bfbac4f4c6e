import { container } from '@sapphire/framework';
import { definePlugin } from '#sdk';
import type { Launch } from './lib/launches.js';
import { startWatchTogether, stopWatchTogether, type WatchTogetherServices } from './lib/services.js';
import { watchTogetherEnvironmentSchema, watchTogetherSettingsSchema } from './lib/settings.js';

export default definePlugin({
	name: 'watch-together',
	version: '0.1.0',
	description: 'Watch a Kaltura video together in a voice channel, in sync, as a Discord Activity',
	core: '^1.4.0',
	requires: { videos: '^1.2.0', 'role-mapping': '^1.0.0' },
	// Off until an admin opts in: like the videos plugin, it shows the partner's catalogue to the server's members.
	enabledByDefault: false,
	configSchema: watchTogetherSettingsSchema,
	environment: watchTogetherEnvironmentSchema,
	secretVariables: ['DISCORD_CLIENT_SECRET'],
	// The rooms (Redis when REDIS_URL is set), the launches, and the socket on the bot's HTTP server.
	start(context): Promise<WatchTogetherServices> {
		return startWatchTogether({
			env: context.env(),
			core: container.env,
			httpServer: container.client.server.server,
			launches: context.storage<Launch>('launches'),
			logger: context.logger
		});
	},
	stop(_context, services) {
		return stopWatchTogether(services);
	}
});
