import { container } from '@sapphire/framework';
import { defineCounter, defineGauge, defineHistogram } from '#sdk';
import type { NotificationStore, OutboxStatus } from './store/notification-store.js';

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
export const deliveryLag = defineHistogram({
	name: 'delivery_lag_seconds',
	help: 'From a notification being received to its post (or edit) in a Discord channel, in seconds',
	// Minutes, not milliseconds: a post waits behind its channel's earlier ones and retries back off up to a minute.
	buckets: [0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600]
});

/** How long a scrape waits for the outbox counts: a hung MongoDB must not hold Prometheus for the driver's 5 s selection timeout. */
const COUNT_TIMEOUT_MS = 2_000;

/** The counts, or a rejection once `COUNT_TIMEOUT_MS` passed without them. */
async function countsWithin(source: () => Promise<NotificationStore | undefined>): Promise<Partial<Record<OutboxStatus, number>>> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`the outbox was not counted within ${COUNT_TIMEOUT_MS} ms`)), COUNT_TIMEOUT_MS);
	});
	try {
		// No store yet (no subscription or notification ever): nothing is queued.
		return await Promise.race([source().then(async (store) => (await store?.statusCounts()) ?? {}), deadline]);
	} finally {
		clearTimeout(timer);
	}
}

/** The statuses the outbox gauge exports, each every scrape (zeros included), so that a query on any of them has data. */
const EXPORTED_STATUSES = ['pending', 'delivered', 'failed', 'dead'] as const;

let outboxSource: (() => Promise<NotificationStore | undefined>) | undefined;

/** Where the outbox gauge reads its counts while the plugin runs (the store if it exists, without creating it); undefined when it stops. */
export function countOutboxOf(source: (() => Promise<NotificationStore | undefined>) | undefined): void {
	outboxSource = source;
}

defineGauge({
	name: 'outbox_deliveries',
	help: 'Deliveries in the outbox, by status (pending, delivered, failed, dead); pending includes the ones being sent',
	labelNames: ['status'],
	collect: async (gauge) => {
		// Not running: the gauge's series are left out (its store is closed, and another process may own the outbox).
		if (outboxSource === undefined) {
			gauge.reset();
			return;
		}
		let counts: Partial<Record<OutboxStatus, number>>;
		try {
			counts = await countsWithin(outboxSource);
		} catch (error) {
			// A store that cannot be read leaves the series out rather than showing stale or made-up counts; the scrape goes on.
			container.logger.debug('Notifications: the outbox could not be counted for /metrics:', error);
			gauge.reset();
			return;
		}
		for (const status of EXPORTED_STATUSES) {
			const inStatus = (counts[status] ?? 0) + (status === 'pending' ? (counts.sending ?? 0) : 0);
			gauge.set({ status }, inStatus);
		}
	}
});
