import { defineCounter } from '#sdk';

export const notificationsDelivered = defineCounter({
	name: 'notifications_delivered_total',
	help: 'Notifications posted (or edited) in a Discord channel'
});
export const webhooks = defineCounter({
	name: 'webhooks_total',
	help: 'Kaltura notifications received, by event type ("unknown" when unreadable) and outcome (stored, duplicate, stale, unprocessable, refused)',
	labelNames: ['type', 'outcome']
});
export const webhookSignatureFailures = defineCounter({
	name: 'webhook_signature_failures_total',
	help: 'Kaltura notifications refused for a missing or wrong signature'
});
