import { MongoClient, MongoServerError, type Collection, type Db, type UpdateFilter } from 'mongodb';
import { mongoDatabaseOf } from '#sdk';
import { emptyUsageDay, type UsageDay } from '../usage-day.js';
import type { UsageCount, UsageDayStore } from './usage-day-store.js';

/** A server's day as stored: one document per server and day, every counter absent until first counted. */
interface UsageDayDocument {
	guildId: string;
	/** The UTC day, `YYYY-MM-DD` (sorts as dates do). */
	day: string;
	meetingsStarted?: Record<string, number>;
	joins?: number;
	/** Hashes of the distinct members who joined, at most the cap (never the ids). */
	joiners?: string[];
	videoSearches?: number;
	videoShares?: number;
	notificationsDelivered?: number;
	notificationsFailed?: number;
}

export interface MongoUsageDayStoreOptions {
	/** Collection names start with this (default `metrics_`: `metrics_usage_days`), so tests can keep runs apart. */
	readonly prefix?: string;
}

/** MongoDB's duplicate key error. */
const DUPLICATE_KEY = 11_000;

const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === DUPLICATE_KEY;

/**
 * The usage days in MongoDB (`MONGODB_URL`; the database the URL names), shared by every bot process: one collection,
 * `<prefix>usage_days`, with a unique index on (guildId, day). Every count is single-document atomic: an upsert with `$inc`,
 * and for a joiner an `$addToSet` guarded by the array's size, so the cap holds however many processes count at once.
 * No transactions, so a standalone server serves as well as a replica set.
 */
export class MongoUsageDayStore implements UsageDayStore {
	public readonly kind = 'mongodb';
	readonly #client: MongoClient;
	readonly #days: Collection<UsageDayDocument>;

	private constructor(client: MongoClient, db: Db, prefix: string) {
		this.#client = client;
		this.#days = db.collection<UsageDayDocument>(`${prefix}usage_days`);
	}

	/** Connects and creates the indexes (a no-op when they exist). */
	public static async connect(url: string, options: MongoUsageDayStoreOptions = {}): Promise<MongoUsageDayStore> {
		const database = mongoDatabaseOf(url);
		if (database === null) throw new Error('MONGODB_URL must be a MongoDB connection string naming a database, e.g. mongodb://db:27017/kaltura.');
		// A /stats reply waits for the store: fail in seconds (the driver's default is 30) unless the URL chooses its own timeout.
		const timeout = /[?&]serverSelectionTimeoutMS=/i.test(url) ? {} : { serverSelectionTimeoutMS: 5_000 };
		const client = new MongoClient(url, { ...timeout, appName: 'kaltura-discord-bot' });
		try {
			await client.connect();
			const store = new MongoUsageDayStore(client, client.db(database), options.prefix ?? 'metrics_');
			await Promise.all([store.#days.createIndex({ guildId: 1, day: 1 }, { unique: true }), store.#days.createIndex({ day: 1 })]);
			return store;
		} catch (error) {
			await client.close().catch(() => undefined);
			throw error;
		}
	}

	public async count(count: UsageCount, joinersCap: number): Promise<void> {
		const { guildId, day } = count;
		const increment: UpdateFilter<UsageDayDocument> =
			count.counter === 'meetingsStarted' ? { $inc: { [`meetingsStarted.${count.meetingType}`]: 1 } } : { $inc: { [count.counter]: 1 } };
		await this.#upsert(guildId, day, increment);
		if (count.counter === 'meetingsStarted' || count.joiner === undefined || joinersCap <= 0) return;
		// Matches only while the array has fewer than `joinersCap` entries (its last allowed index is absent); the document is
		// there (just counted), and a day forgotten or swept in between simply keeps no joiner.
		await this.#days.updateOne({ guildId, day, [`joiners.${joinersCap - 1}`]: { $exists: false } }, { $addToSet: { joiners: count.joiner } });
	}

	/**
	 * Two first counts of a day at once may both insert; the unique index refuses the second, which then updates the
	 * document the first made (the server retries such an upsert itself in most cases; this covers the rest).
	 */
	async #upsert(guildId: string, day: string, update: UpdateFilter<UsageDayDocument>): Promise<void> {
		try {
			await this.#days.updateOne({ guildId, day }, update, { upsert: true });
		} catch (error) {
			if (!isDuplicateKey(error)) throw error;
			await this.#days.updateOne({ guildId, day }, update, { upsert: true });
		}
	}

	public async read(guildId: string, fromDay: string, toDay: string): Promise<Map<string, UsageDay>> {
		const documents = await this.#days.find({ guildId, day: { $gte: fromDay, $lte: toDay } }).toArray();
		return new Map(documents.map((document) => [document.day, usageDayOf(document)]));
	}

	public async forget(guildId: string): Promise<number> {
		return (await this.#days.deleteMany({ guildId })).deletedCount;
	}

	public async sweep(beforeDay: string): Promise<number> {
		return (await this.#days.deleteMany({ day: { $lt: beforeDay } })).deletedCount;
	}

	/** Drops the store's collection (tests). */
	public async drop(): Promise<void> {
		await this.#days.drop().catch(() => false);
	}

	public async close(): Promise<void> {
		await this.#client.close();
	}
}

/** A stored document as the report reads it: counters never counted are 0; anything malformed is left out. */
function usageDayOf(document: UsageDayDocument): UsageDay {
	const count = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0);
	const meetingsStarted = Object.fromEntries(Object.entries(document.meetingsStarted ?? {}).map(([type, started]) => [type, count(started)]));
	return {
		...emptyUsageDay(),
		meetingsStarted,
		joins: count(document.joins),
		joiners: Array.isArray(document.joiners) ? document.joiners.filter((joiner) => typeof joiner === 'string') : [],
		videoSearches: count(document.videoSearches),
		videoShares: count(document.videoShares),
		notificationsDelivered: count(document.notificationsDelivered),
		notificationsFailed: count(document.notificationsFailed)
	};
}
