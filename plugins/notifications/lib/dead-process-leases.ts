import { hostname } from 'node:os';
import { container } from '@sapphire/framework';
import type { NotificationStore } from './store/notification-store.js';

/**
 * Rows leased by a process of this host that no longer runs (killed mid-send) go back to pending at once
 * instead of waiting out the lease; the nonce, and beyond its window the look for the earlier post, make
 * the resend safe if the first send did reach Discord. Worker ids are `<host>:<pid>:<random>`.
 */
export async function releaseLeasesOfDeadProcesses(openStore: () => Promise<NotificationStore | undefined>): Promise<void> {
	try {
		const store = await openStore();
		if (store === undefined) return;
		const host = hostname();
		for (const worker of await store.leaseHolders()) {
			const [workerHost, pid] = worker.split(':');
			if (workerHost !== host || pid === undefined || !/^\d+$/.test(pid) || Number(pid) === process.pid || isAlive(Number(pid))) continue;
			const released = await store.releaseLeases(worker);
			container.logger.info(`Notifications: ${released} delivery(ies) leased by ${worker}, a process that is gone, are sent again.`);
		}
	} catch (error) {
		container.logger.warn('Notifications: leases of dead processes could not be released:', error);
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it runs, as another user.
		return error instanceof Error && 'code' in error && error.code === 'EPERM';
	}
}
