import { definePlugin } from '../../src/core/plugins/manifest.js';

export default definePlugin({
	name: 'notifications',
	version: '0.2.0',
	description: 'Receives Kaltura event notifications (signed webhooks), stores them durably and posts them to subscribed channels',
	core: '^1.0.0',
	// The webhook itself is not per guild; the switch decides whether a guild's subscriptions get posts.
	enabledByDefault: false
});
