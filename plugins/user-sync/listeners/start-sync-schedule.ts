import { Events, Listener } from '@sapphire/framework';
import { userSyncService } from '../lib/user-sync-service.js';

/**
 * Once connected: starts the periodic schedule, and carries on any pass a crash or restart cut short.
 * Not a `once` listener: Sapphire unloads those after their run, and unloading is what stops the
 * schedule.
 */
export class StartSyncScheduleListener extends Listener<typeof Events.ClientReady> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.ClientReady });
	}

	public override async run() {
		const service = userSyncService();
		service.startSchedule();
		try {
			await service.resumeInterrupted();
		} catch (error) {
			this.container.logger.warn('User sync: interrupted passes could not be resumed:', error);
		}
	}

	public override onUnload() {
		void userSyncService().dispose();
		super.onUnload();
	}
}
