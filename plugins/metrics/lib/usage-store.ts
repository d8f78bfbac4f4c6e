import type Keyv from 'keyv';
import type { PluginLogger, UsageDetail, UsageEvent } from '#sdk';
import { emptyUsageDay, usageDaySchema, withEvent, type UsageDay } from './usage-day.js';

/** Days kept per server: the longest report (30 days) plus today. */
export const USAGE_DAYS_KEPT = 31;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day of `at`, as YYYY-MM-DD. */
export function utcDay(at: number): string {
	return new Date(at).toISOString().slice(0, 10);
}

/** The UTC days of the last `days` days up to `now`, oldest first. */
export function lastDays(days: number, now: number): string[] {
	return Array.from({ length: days }, (_, index) => utcDay(now - (days - 1 - index) * DAY_MS));
}

/**
 * Each server's usage, one key per server and UTC day holding its counters, each key expiring after {@link USAGE_DAYS_KEPT}
 * days. Writes to one key run one after another in this process, so concurrent events of a day are not lost.
 */
export class UsageStore {
	readonly #keyv: Keyv<unknown>;
	readonly #logger: PluginLogger;
	readonly #now: () => number;
	readonly #pending = new Map<string, Promise<void>>();

	public constructor(keyv: Keyv<unknown>, logger: PluginLogger, now: () => number = Date.now) {
		this.#keyv = keyv;
		this.#logger = logger;
		this.#now = now;
	}

	/** Counts the event on today's key; failures are logged, as usage is a report and never the action's outcome. */
	public record(guildId: string, event: UsageEvent, detail: UsageDetail): Promise<void> {
		const key = keyOf(guildId, utcDay(this.#now()));
		const write = (this.#pending.get(key) ?? Promise.resolve())
			.then(async () => {
				const day = await this.#read(key);
				await this.#keyv.set(key, withEvent(day, guildId, event, detail), USAGE_DAYS_KEPT * DAY_MS);
			})
			.catch((error: unknown) => this.#logger.warn(`Usage of guild ${guildId} was not recorded (${event}):`, error));
		this.#pending.set(key, write);
		void write.then(() => {
			if (this.#pending.get(key) === write) this.#pending.delete(key);
		});
		return write;
	}

	/** The server's counters for each of the last `days` UTC days, oldest first (empty days included). */
	public async days(guildId: string, days: number): Promise<{ day: string; usage: UsageDay }[]> {
		return Promise.all(lastDays(days, this.#now()).map(async (day) => ({ day, usage: await this.#read(keyOf(guildId, day)) })));
	}

	/** Deletes every day kept of the server (it removed the bot). */
	public async forget(guildId: string): Promise<void> {
		await Promise.all(lastDays(USAGE_DAYS_KEPT, this.#now()).map((day) => this.#keyv.delete(keyOf(guildId, day))));
	}

	/** Writes still under way; for a shutdown or a test to wait on. */
	public async settled(): Promise<void> {
		await Promise.all(this.#pending.values());
	}

	async #read(key: string): Promise<UsageDay> {
		const stored = await this.#keyv.get(key);
		if (stored === undefined) return emptyUsageDay();
		const parsed = usageDaySchema.safeParse(stored);
		// A value this version cannot read is started afresh rather than failing every later event of the day.
		return parsed.success ? parsed.data : emptyUsageDay();
	}
}

/** Under `usage:` in the plugin's store, so that other data of the plugin can sit beside it. */
export function keyOf(guildId: string, day: string): string {
	return `usage:${guildId}:${day}`;
}
