import { definePlugin } from '#sdk';
import { notificationsConfigSchema } from './lib/templates.js';

export default definePlugin({
	name: 'notifications',
	version: '0.4.0',
	description: 'Receives Kaltura event notifications (signed webhooks), stores them durably and posts them to subscribed channels',
	core: '^1.0.0',
	// The webhook itself is not per guild; the switch decides whether a guild's subscriptions get posts.
	enabledByDefault: false,
	/** `templates.<event type>.{title,description}`: the posted embed, with `{placeholders}` (see lib/templates.ts). */
	configSchema: notificationsConfigSchema
});
