import { container } from '@sapphire/framework';
import { definePlugin } from '#sdk';
import { startNotificationServices, stopNotificationServices } from './lib/notification-services.js';
import { notificationsEnvironmentSchema } from './lib/notifications-environment.js';
import { SWEEP_EVERY_MS } from './lib/retention.js';
import { notificationsConfigSchema } from './lib/templates.js';

export default definePlugin({
	name: 'notifications',
	version: '0.4.1',
	description: 'Receives Kaltura event notifications (signed webhooks), stores them durably and posts them to subscribed channels',
	core: '^1.4.0',
	// The webhook itself is not per guild; the switch decides whether a guild's subscriptions get posts.
	enabledByDefault: false,
	/** `templates.<event type>.{title,description}`: the posted embed, with `{placeholders}` (see lib/templates.ts). */
	configSchema: notificationsConfigSchema,
	environment: notificationsEnvironmentSchema,
	// The store is where the core keeps its own documents (MONGODB_URL, else DATA_DIR), so the core's environment says where.
	start: (context) =>
		startNotificationServices({
			client: context.client,
			location: container.env,
			retentionDays: context.env().NOTIFICATIONS_RETENTION_DAYS,
			claimSweep: () => context.claimPeriodicRun('retention', SWEEP_EVERY_MS)
		}),
	stop: (_context, services) => stopNotificationServices(services)
});
