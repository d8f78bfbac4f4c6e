import { definePlugin } from '../../src/core/plugins/manifest.js';

export default definePlugin({
	name: 'notifications',
	version: '0.1.0',
	description: 'Receives Kaltura event notifications (signed webhooks) and keeps them in a durable event store',
	core: '^1.0.0',
	// The webhook itself is not per guild; the switch is for the delivery to channels that comes later.
	enabledByDefault: false
});
