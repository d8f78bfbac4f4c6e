import type { Client } from 'discord.js';
import { DeliveryWorker, restSenderOf } from './delivery-worker.js';
import { countOutboxOf } from './notifications-metrics.js';
import { RetentionSweeper } from './retention.js';
import { NotificationStoreConnection, type StoreLocation } from './store/open-store.js';

/** What the plugin runs while the bot is connected; the handle's `services()`. */
export interface NotificationServices {
	/** The store's one connection, for the webhook route, the command and the API. */
	readonly store: NotificationStoreConnection;
	/** Sends the outbox; the webhook wakes it after queuing. */
	readonly worker: DeliveryWorker;
	/** Deletes old events and finished deliveries. */
	readonly sweeper: RetentionSweeper;
}

export interface NotificationServicesOptions {
	readonly client: Client;
	readonly location: StoreLocation;
	readonly retentionDays: number;
	/** Whether this process takes the hour's retention sweep (one process of the bot's does). */
	readonly claimSweep?: () => Promise<boolean>;
}

/**
 * The start hook: opens the store's connection (lazily: a bot that never gets a subscription or a notification
 * creates no file), starts the delivery worker, which also picks up what a crash or restart left, and the
 * sweeper that deletes old events and finished deliveries.
 */
export function startNotificationServices({ client, location, retentionDays, claimSweep }: NotificationServicesOptions): NotificationServices {
	const store = new NotificationStoreConnection(location);
	const existing = () => store.existing();
	const worker = new DeliveryWorker(
		existing,
		restSenderOf(
			() => client.rest,
			() => client.user?.id
		)
	);
	const sweeper = new RetentionSweeper(existing, retentionDays, claimSweep);
	worker.start();
	sweeper.start();
	countOutboxOf(existing);
	return { store, worker, sweeper };
}

/** The stop hook: the worker and the sweeper first, waiting for their work in flight, then the store. */
export async function stopNotificationServices({ store, worker, sweeper }: NotificationServices): Promise<void> {
	countOutboxOf(undefined);
	await Promise.all([worker.stop(), sweeper.stop()]);
	await store.close();
}
