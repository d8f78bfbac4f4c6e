import type { LeaseStore } from './lease-store.js';

/**
 * Periodic jobs run by one process of the cluster per period: every process's timer asks, the first to ask takes the
 * period's run and the others skip it. The run is held for the period less a margin, so the same process's next timer
 * finds it free, and when that process is gone another takes the next period's run.
 */
export class PeriodicRuns {
	public constructor(
		private readonly leases: LeaseStore,
		private readonly keyPrefix: string,
		private readonly holder: string
	) {}

	/** True when this process runs `job` for the period starting now; false when another process has this period's run. */
	public claim(job: string, periodMs: number): Promise<boolean> {
		const heldMs = Math.max(1, periodMs - Math.min(1_000, Math.floor(periodMs / 20)));
		return this.leases.take(`${this.keyPrefix}run:${job}`, this.holder, heldMs);
	}
}
