import { Events, Listener } from '@sapphire/framework';
import { startDeliveryWorker, stopDeliveryWorker } from '../lib/delivery-worker.js';
import { existingNotificationStore } from '../lib/store/open-store.js';

/**
 * Once connected: starts the outbox's delivery worker, which also picks up what a crash or restart left.
 * Not a `once` listener: Sapphire unloads those after their run, and unloading is what stops the worker.
 */
export class StartDeliveryListener extends Listener<typeof Events.ClientReady> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.ClientReady });
	}

	public override run() {
		startDeliveryWorker(() => existingNotificationStore(this.container.env));
	}

	public override async onUnload() {
		await stopDeliveryWorker();
		super.onUnload();
	}
}
