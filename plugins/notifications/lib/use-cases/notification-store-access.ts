import { container } from '@sapphire/framework';
import { UserFacingError } from '#sdk';
import type { NotificationStore } from '../store/notification-store.js';
import notifications from '../../plugin.js';

const STORE_UNAVAILABLE = 'The notification store cannot be reached right now, so nothing was read or changed. Try again in a minute.';

/**
 * Runs `call` on the store. When the store cannot be opened or the call fails (MongoDB down, a locked or
 * unwritable file), the cause goes to the operator's log and the member is told plainly that nothing was read
 * or changed.
 */
export async function onNotificationStore<T>(call: (store: NotificationStore) => Promise<T>): Promise<T> {
	try {
		// Not running (before the bot is connected, or stopping) fails like a store that cannot be reached.
		return await call(await notifications.services().store.open());
	} catch (error) {
		// Real work: the store's own error is for the operator (it may name hosts or files), the member gets a sentence.
		container.logger.warn('Notifications: the store failed during /notifications:', error);
		throw new UserFacingError('storage_unavailable', STORE_UNAVAILABLE, { status: 503, cause: error });
	}
}
