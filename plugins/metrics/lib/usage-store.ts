import type { PluginLogger, UsageDetail, UsageEvent } from '#sdk';
import { DISTINCT_JOINERS_CAP, emptyUsageDay, type UsageDay } from './usage-day.js';
import { usageCountOf, type UsageDayStore } from './usage-store/usage-day-store.js';
import type { UsageStoreConnection } from './usage-store/usage-store-connection.js';

/** Days kept per server: the longest report (30 days) plus today. Older days are swept. */
export const USAGE_DAYS_KEPT = 31;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How often days older than {@link USAGE_DAYS_KEPT} are swept while the store is open. */
export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** The UTC day of `at`, as YYYY-MM-DD. */
export function utcDay(at: number): string {
	return new Date(at).toISOString().slice(0, 10);
}

/** The UTC days of the last `days` days up to `now`, oldest first. */
export function lastDays(days: number, now: number): string[] {
	return Array.from({ length: days }, (_, index) => utcDay(now - (days - 1 - index) * DAY_MS));
}

export interface UsageStoreOptions {
	readonly now?: () => number;
	/** Distinct joiners kept per server and day ({@link DISTINCT_JOINERS_CAP} unless a test says otherwise). */
	readonly joinersCap?: number;
}

/**
 * Each server's usage per UTC day, in the document store (see usage-store/): every event is one atomic count in the store,
 * so several bot processes sharing it lose none. Days older than {@link USAGE_DAYS_KEPT} are swept when the store opens and
 * every hour after; a server's days are deleted when it removes the bot.
 */
export class UsageStore {
	readonly #connection: UsageStoreConnection;
	readonly #logger: PluginLogger;
	readonly #now: () => number;
	readonly #joinersCap: number;
	readonly #pending = new Set<Promise<unknown>>();
	#sweeping: NodeJS.Timeout | undefined;
	#closed = false;

	public constructor(connection: UsageStoreConnection, logger: PluginLogger, options: UsageStoreOptions = {}) {
		this.#connection = connection;
		this.#logger = logger;
		this.#now = options.now ?? Date.now;
		this.#joinersCap = options.joinersCap ?? DISTINCT_JOINERS_CAP;
	}

	/** Counts the event on today; failures are logged, as usage is a report and never the action's outcome. */
	public record(guildId: string, event: UsageEvent, detail: UsageDetail): Promise<void> {
		const count = usageCountOf(guildId, utcDay(this.#now()), event, detail);
		return this.#track(
			this.#open()
				.then((store) => store.count(count, this.#joinersCap))
				.catch((error: unknown) => this.#logger.warn(`Usage of guild ${guildId} was not recorded (${event}):`, error))
		);
	}

	/** The server's counters for each of the last `days` UTC days, oldest first (empty days included). */
	public async days(guildId: string, days: number): Promise<{ day: string; usage: UsageDay }[]> {
		const wanted = lastDays(days, this.#now());
		const store = await this.#existing();
		const stored = store === undefined ? new Map<string, UsageDay>() : await store.read(guildId, wanted[0] ?? '', wanted.at(-1) ?? '');
		return wanted.map((day) => ({ day, usage: stored.get(day) ?? emptyUsageDay() }));
	}

	/** Deletes every day kept of the server (it removed the bot). */
	public async forget(guildId: string): Promise<void> {
		const store = await this.#existing();
		if (store !== undefined) await this.#track(store.forget(guildId));
	}

	/** Deletes the days of every server older than {@link USAGE_DAYS_KEPT} days; answers how many server-days went. */
	public async sweep(): Promise<number> {
		const store = await this.#existing();
		if (store === undefined) return 0;
		return store.sweep(lastDays(USAGE_DAYS_KEPT, this.#now())[0] ?? '');
	}

	/** Writes still under way; for a shutdown or a test to wait on. */
	public async settled(): Promise<void> {
		while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
	}

	/** Stops sweeping, waits for the writes under way and closes the store; later events are logged as not recorded. */
	public async close(): Promise<void> {
		this.#closed = true;
		clearInterval(this.#sweeping);
		this.#sweeping = undefined;
		await this.settled();
		await this.#connection.close();
	}

	async #open(): Promise<UsageDayStore> {
		const store = await this.#connection.open();
		this.#startSweeping();
		return store;
	}

	async #existing(): Promise<UsageDayStore | undefined> {
		const store = await this.#connection.existing();
		if (store !== undefined) this.#startSweeping();
		return store;
	}

	/** Once the store is open: a sweep now (a bot that was down for days starts clean) and one every hour, never keeping the process up. */
	#startSweeping(): void {
		if (this.#sweeping !== undefined || this.#closed) return;
		const sweep = () =>
			void this.#track(
				this.sweep().catch((error: unknown) => this.#logger.warn('Usage days older than the reports could not be swept:', error))
			);
		this.#sweeping = setInterval(sweep, SWEEP_INTERVAL_MS).unref();
		sweep();
	}

	#track<T>(work: Promise<T>): Promise<T> {
		this.#pending.add(work);
		void work.finally(() => this.#pending.delete(work)).catch(() => undefined);
		return work;
	}
}
