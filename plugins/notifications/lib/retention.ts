import { container } from '@sapphire/framework';
import { KEY_RETENTION_DAYS, type NotificationStore } from './store/notification-store.js';

const DAY_MS = 86_400_000;
/** Often enough that a day's worth never piles up, rarely enough to cost nothing. */
export const SWEEP_EVERY_MS = 3_600_000;

/**
 * Deletes what the store no longer needs: finished deliveries and received events older than the
 * retention (`NOTIFICATIONS_RETENTION_DAYS`), once at start and then every hour; and the keys of notifications
 * received more than KEY_RETENTION_DAYS ago. Keys outlive their events so that a captured notification sent again
 * after its event was deleted is still a duplicate.
 */
export class RetentionSweeper {
	readonly #store: () => Promise<NotificationStore | undefined>;
	readonly #retentionMs: number;
	readonly #claim: () => Promise<boolean>;
	#timer: NodeJS.Timeout | undefined;
	#sweeping: Promise<void> | undefined;

	/** `claim` says whether this process sweeps this hour: one process of the bot's sweeps the shared store, not each of them. */
	public constructor(
		store: () => Promise<NotificationStore | undefined>,
		retentionDays: number,
		claim: () => Promise<boolean> = () => Promise.resolve(true)
	) {
		this.#store = store;
		this.#retentionMs = retentionDays * DAY_MS;
		this.#claim = claim;
	}

	public start(): void {
		this.#timer ??= setInterval(() => void this.#sweepIfClaimed(), SWEEP_EVERY_MS);
		this.#timer.unref();
		void this.#sweepIfClaimed();
	}

	async #sweepIfClaimed(): Promise<void> {
		try {
			if (!(await this.#claim())) return;
		} catch (error) {
			container.logger.warn(
				'Notifications: whether this process sweeps old events this hour is unknown (Redis?); trying again in an hour:',
				error
			);
			return;
		}
		await this.sweep();
	}

	/** One sweep (none when one is running); failures are logged, and the next sweep tries again. */
	public sweep(now = Date.now()): Promise<void> {
		this.#sweeping ??= this.#sweep(now).finally(() => (this.#sweeping = undefined));
		return this.#sweeping;
	}

	async #sweep(now: number): Promise<void> {
		try {
			const store = await this.#store();
			if (store === undefined) return;
			const { events, deliveries } = await store.prune(now - this.#retentionMs);
			const keys = await store.forgetKeys(now - Math.max(KEY_RETENTION_DAYS * DAY_MS, this.#retentionMs));
			if (events > 0 || deliveries > 0) {
				container.logger.info(
					`Notifications: deleted ${events} event(s) and ${deliveries} finished delivery(ies) older than ${this.#retentionMs / DAY_MS} day(s).`
				);
			}
			if (keys > 0)
				container.logger.info(`Notifications: forgot ${keys} notification key(s) received more than ${KEY_RETENTION_DAYS} days ago.`);
		} catch (error) {
			container.logger.warn('Notifications: old events and deliveries could not be deleted; trying again in an hour:', error);
		}
	}

	public async stop(): Promise<void> {
		if (this.#timer !== undefined) clearInterval(this.#timer);
		this.#timer = undefined;
		await this.#sweeping;
	}
}
