import type { LeaseStore } from './lease-store.js';
import { SharedClaim } from './shared-claim.js';

/** Processes of one bot on two machines with SQLite: each machine would keep its own notifications, audit log and usage. */
export class SqliteAcrossMachinesError extends Error {
	public constructor(thisHost: string, otherHost: string) {
		super(
			`processes of this bot run on host ${otherHost} and on this host (${thisHost}), sharing one Redis, but MONGODB_URL is unset: each machine would keep its own SQLite files under DATA_DIR and lose the other's notifications and audit log`
		);
		this.name = 'SqliteAcrossMachinesError';
	}
}

/**
 * Tells when processes on different machines use SQLite: while MONGODB_URL is unset, every process claims the bot's SQLite
 * data for its host name in the bot's Redis ({@link SharedClaim}). Processes of one host share the claim (several processes
 * on one machine share the files safely: WAL and busy timeouts); a process on another host finds it taken and does not
 * start. A container is a host of its own.
 */
export function sqliteHostClaim(leases: LeaseStore, keyPrefix: string, host: string, onConflict: (error: Error) => void): SharedClaim {
	return new SharedClaim({
		leases,
		key: `${keyPrefix}sqlite-host`,
		value: host,
		conflict: (otherHost) => new SqliteAcrossMachinesError(host, otherHost),
		onConflict
	});
}
