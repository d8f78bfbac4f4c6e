import { GatewayIntentBits } from 'discord.js';
import { definePlugin } from '#sdk';
import { startUserSync } from './lib/user-sync-service.js';
import { userSyncSettingsSchema } from './lib/user-sync-settings.js';
import { UserSyncStore } from './lib/user-sync-store.js';

export default definePlugin({
	name: 'user-sync',
	version: '1.0.1',
	description: 'Keeps a Kaltura user for every member: created on join, updated on role changes, per policy on leave',
	core: '^1.4.0',
	// The Kaltura role a member's user records comes from the role mapping.
	requires: { 'role-mapping': '^1.0.0' },
	// Off until an admin opts in: it writes users into the partner's Kaltura account.
	enabledByDefault: false,
	configSchema: userSyncSettingsSchema,
	// Privileged: member joins, updates and leaves, and fetching the member list, need it (the operator
	// enables "Server Members Intent" in the developer portal, or Discord refuses the connection).
	intents: [GatewayIntentBits.GuildMembers],
	// The schedule of periodic passes, and the passes a restart cut short, run while the bot is connected.
	start: (context) =>
		startUserSync({
			client: context.client,
			// The plugin's own namespace, where its checkpoints and last passes have always been kept.
			store: new UserSyncStore(context.storage()),
			plugin: context.name,
			logger: context.logger,
			claimPass: (guildId, intervalMs) => context.claimPeriodicRun(`pass:${guildId}`, intervalMs)
		}),
	stop: (_context, service) => service.dispose()
});
