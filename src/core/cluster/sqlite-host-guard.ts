import type { LeaseStore } from './lease-store.js';

/** How long a host's claim on the SQLite files outlives its last process. */
const HOST_CLAIM_MS = 30_000;

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
 * Tells when processes on different machines use SQLite: every process of a bot shares its Redis, and while MONGODB_URL
 * is unset each one claims the bot's SQLite data for its host name there, renewing the claim while it runs. Processes of
 * one host share the claim (several processes on one machine share the files safely: WAL and busy timeouts); a process
 * on another host finds the claim taken and does not start. A container is a host of its own.
 */
export class SqliteHostGuard {
	#timer: NodeJS.Timeout | undefined;

	public constructor(
		private readonly leases: LeaseStore,
		private readonly keyPrefix: string,
		private readonly host: string,
		private readonly onConflict: (error: Error) => void
	) {}

	/** Claims the SQLite data for this host, or throws {@link SqliteAcrossMachinesError}; then keeps the claim alive. */
	public async claim(): Promise<void> {
		await this.#claimOnce(true);
		this.#timer = setInterval(() => void this.#claimOnce(false).catch(() => undefined), HOST_CLAIM_MS / 3).unref();
	}

	public stop(): void {
		if (this.#timer !== undefined) clearInterval(this.#timer);
		this.#timer = undefined;
	}

	async #claimOnce(starting: boolean): Promise<void> {
		const key = `${this.keyPrefix}sqlite-host`;
		if (await this.leases.renew(key, this.host, HOST_CLAIM_MS)) return;
		if (await this.leases.take(key, this.host, HOST_CLAIM_MS)) return;
		const other = await this.leases.holder(key);
		if (other === undefined || other.holder === this.host) return;
		const error = new SqliteAcrossMachinesError(this.host, other.holder);
		if (starting) throw error;
		this.stop();
		this.onConflict(error);
	}
}
