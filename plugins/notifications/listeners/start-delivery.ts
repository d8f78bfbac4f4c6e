import { Events, Listener } from '@sapphire/framework';
import { startDeliveryWorker, stopDeliveryWorker } from '../lib/delivery-worker.js';
import { startRetentionSweeper, stopRetentionSweeper } from '../lib/retention.js';
import { existingNotificationStore } from '../lib/store/open-store.js';

/**
 * Once connected: starts the outbox's delivery worker, which also picks up what a crash or restart left,
 * and the sweeper that deletes old events and finished deliveries.
 * Not a `once` listener: Sapphire unloads those after their run, and unloading is what stops the worker.
 */
export class StartDeliveryListener extends Listener<typeof Events.ClientReady> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.ClientReady });
	}

	public override run() {
		const store = () => existingNotificationStore(this.container.env);
		startDeliveryWorker(store);
		startRetentionSweeper(store, this.container.env.NOTIFICATIONS_RETENTION_DAYS);
	}

	public override async onUnload() {
		await Promise.all([stopDeliveryWorker(), stopRetentionSweeper()]);
		super.onUnload();
	}
}
