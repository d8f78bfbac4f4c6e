import { MongoClient, MongoServerError, ObjectId, type ClientSession, type Collection, type Db, type TransactionOptions } from 'mongodb';
import { mongoDatabaseOf } from '#sdk';
import type { NotificationType } from '../normalise.js';
import {
	dayOf,
	OUTBOX_STATUSES,
	type DeliveryOutcome,
	type DeliverySummary,
	type InsertResult,
	type NotificationEvent,
	type NotificationStore,
	type OutboxDraft,
	type OutboxRow,
	type OutboxStatus,
	type PruneResult,
	type Subscription,
	type SubscriptionInput
} from './notification-store.js';
import {
	DURABLE,
	PRUNE_BATCH,
	toEvent,
	type CounterDocument,
	type EventDocument,
	type OutboxDocument,
	type SeenKeyDocument,
	type SubscriptionDocument
} from './mongo-documents.js';
import { MongoOutbox } from './mongo-outbox.js';
import { storedFieldsOf } from './stored-event.js';
import { MongoSubscriptions } from './mongo-subscriptions.js';

/** MongoDB's duplicate key error. */
const DUPLICATE_KEY = 11_000;

const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === DUPLICATE_KEY;

/** An event and its rows: read from one snapshot, committed durably, on the primary. */
const INSERT_TRANSACTION: TransactionOptions = { readConcern: { level: 'snapshot' }, writeConcern: DURABLE, readPreference: 'primary' };

export interface MongoNotificationStoreOptions {
	/** Collection names start with this (default `notifications_`), so tests can keep runs apart. */
	readonly prefix?: string;
}

/**
 * The notification store in MongoDB, for bots that run as several processes on several machines (set
 * `MONGODB_URL`; the database is the one the URL names). Collections: `<prefix>events`,
 * `<prefix>subscriptions`, `<prefix>outbox` and `<prefix>counters`.
 *
 * It needs a replica set (one node is enough) or a sharded cluster: an event, its outbox rows and the
 * counter that numbers them are written in one transaction. That makes the event and its deliveries
 * atomic, and it keeps a channel in order: two transactions that both take row ids conflict on the
 * counter, so the second waits for the first to commit, and rows become visible in the order of their ids.
 *
 * Events and their remembered keys are kept here; the subscriptions (mongo-subscriptions.ts) and the outbox
 * (mongo-outbox.ts) share the client.
 */
export class MongoNotificationStore implements NotificationStore {
	public readonly kind = 'mongodb';
	readonly #client: MongoClient;
	readonly #events: Collection<EventDocument>;
	readonly #seenKeys: Collection<SeenKeyDocument>;
	readonly #subscriptions: MongoSubscriptions;
	readonly #outbox: MongoOutbox;
	/** Every collection of the store, for `drop`. */
	readonly #collections: readonly Pick<Collection, 'drop'>[];

	private constructor(client: MongoClient, db: Db, prefix: string) {
		this.#client = client;
		this.#events = db.collection<EventDocument>(`${prefix}events`, { writeConcern: DURABLE });
		const subscriptions = db.collection<SubscriptionDocument>(`${prefix}subscriptions`, { writeConcern: DURABLE });
		const outbox = db.collection<OutboxDocument>(`${prefix}outbox`, { writeConcern: DURABLE });
		const counters = db.collection<CounterDocument>(`${prefix}counters`, { writeConcern: DURABLE });
		this.#seenKeys = db.collection<SeenKeyDocument>(`${prefix}seen_keys`, { writeConcern: DURABLE });
		this.#subscriptions = new MongoSubscriptions(subscriptions);
		this.#outbox = new MongoOutbox(outbox, counters);
		this.#collections = [this.#events, subscriptions, outbox, counters, this.#seenKeys];
	}

	/**
	 * Connects, checks that the deployment has transactions, creates the indexes (a no-op when they exist),
	 * brings the row counter up to the highest row id (in case it was lost) and returns the store.
	 */
	public static async connect(url: string, options: MongoNotificationStoreOptions = {}): Promise<MongoNotificationStore> {
		const database = mongoDatabaseOf(url);
		if (database === null) throw new Error('MONGODB_URL must be a MongoDB connection string naming a database, e.g. mongodb://db:27017/kaltura.');
		// A webhook waits for the store, and Kaltura gives up on a slow answer: fail in seconds (the driver's default is 30),
		// unless the URL chooses its own timeout.
		const timeout = /[?&]serverSelectionTimeoutMS=/i.test(url) ? {} : { serverSelectionTimeoutMS: 5_000 };
		// Reads on the primary whatever the URL says: leases and duplicate checks must not read stale copies.
		const client = new MongoClient(url, { ...timeout, readPreference: 'primary', appName: 'kaltura-discord-bot' });
		try {
			await client.connect();
			const db = client.db(database);
			const hello = await db.admin().command({ hello: 1 });
			if (typeof hello.setName !== 'string' && hello.msg !== 'isdbgrid') {
				throw new Error(
					'The MongoDB server is a standalone server; the notifications store needs transactions, which a replica set has (a one-node replica set is enough: start mongod with --replSet and run rs.initiate()).'
				);
			}
			const store = new MongoNotificationStore(client, db, options.prefix ?? 'notifications_');
			await store.#createIndexes();
			await store.#outbox.catchUpCounter();
			await store.#startSeenKeys();
			return store;
		} catch (error) {
			await client.close().catch(() => undefined);
			throw error;
		}
	}

	async #createIndexes(): Promise<void> {
		await Promise.all([
			this.#events.createIndex({ received_at: -1, order: -1 }),
			this.#events.createIndex({ type: 1 }),
			...this.#subscriptions.indexes(),
			...this.#outbox.indexes(),
			this.#seenKeys.createIndex({ day: 1 })
		]);
	}

	/** A database from before the remembered keys starts them with the keys of the events it holds (once: while there are none). */
	async #startSeenKeys(): Promise<void> {
		if ((await this.#seenKeys.countDocuments({}, { limit: 1 })) > 0) return;
		await this.#events
			.aggregate([
				{ $project: { _id: 1, day: { $floor: { $divide: ['$received_at', 86_400_000] } } } },
				{ $merge: { into: this.#seenKeys.collectionName, on: '_id', whenMatched: 'keepExisting', whenNotMatched: 'insert' } }
			])
			.toArray();
	}

	public async insertIfNew(event: NotificationEvent, outbox: readonly OutboxDraft[] = []): Promise<InsertResult> {
		try {
			// withTransaction retries the whole callback on a transient error, such as the write conflict on the counter.
			return await this.#client.withSession((session) =>
				session.withTransaction((transaction) => this.#insert(event, outbox, transaction), INSERT_TRANSACTION)
			);
		} catch (error) {
			// Another process stored the same notification in a transaction that committed first.
			if (isDuplicateKey(error) && (await this.#seenKeys.countDocuments({ _id: event.key }, { limit: 1 })) > 0) return 'duplicate';
			throw error;
		}
	}

	async #insert(event: NotificationEvent, outbox: readonly OutboxDraft[], session: ClientSession): Promise<InsertResult> {
		// The remembered key decides, so a notification whose event was pruned is still a duplicate.
		if ((await this.#seenKeys.countDocuments({ _id: event.key }, { limit: 1, session })) > 0) return 'duplicate';
		await this.#seenKeys.insertOne({ _id: event.key, day: dayOf(event.receivedAt) }, { session });
		await this.#outbox.enqueue(event, outbox, session);
		await this.#events.insertOne(
			{
				_id: event.key,
				order: new ObjectId(),
				...storedFieldsOf(event)
			},
			{ session }
		);
		return 'stored';
	}

	public async recent(limit: number): Promise<NotificationEvent[]> {
		const count = Math.max(0, Math.floor(limit));
		if (count === 0) return [];
		const documents = await this.#events.find().sort({ received_at: -1, order: -1 }).limit(count).toArray();
		return documents.map(toEvent);
	}

	public async countsByType(): Promise<Partial<Record<NotificationType, number>>> {
		const groups = await this.#events.aggregate<{ _id: string; count: number }>([{ $group: { _id: '$type', count: { $sum: 1 } } }]).toArray();
		return Object.fromEntries(groups.map((group) => [group._id, group.count]));
	}

	public subscribe(input: SubscriptionInput, now = Date.now()): Promise<Subscription | null> {
		return this.#subscriptions.subscribe(input, now);
	}

	public unsubscribe(guildId: string, channelId: string): Promise<boolean> {
		return this.#subscriptions.unsubscribe(guildId, channelId);
	}

	public subscriptionsOf(guildId: string): Promise<Subscription[]> {
		return this.#subscriptions.subscriptionsOf(guildId);
	}

	public enabledSubscriptionsFor(type: NotificationType): Promise<Subscription[]> {
		return this.#subscriptions.enabledSubscriptionsFor(type);
	}

	public disableSubscription(channelId: string, reason: string, now = Date.now()): Promise<boolean> {
		return this.#subscriptions.disableSubscription(channelId, reason, now);
	}

	public openChannels(): Promise<string[]> {
		return this.#outbox.openChannels();
	}

	public claimHead(channelId: string, worker: string, now: number, leaseUntil: number): Promise<OutboxRow | undefined> {
		return this.#outbox.claimHead(channelId, worker, now, leaseUntil);
	}

	public finish(id: number, worker: string, outcome: DeliveryOutcome, now = Date.now()): Promise<void> {
		return this.#outbox.finish(id, worker, outcome, now);
	}

	public previousMessageOf(channelId: string, subject: string, beforeId: number): Promise<string | null> {
		return this.#outbox.previousMessageOf(channelId, subject, beforeId);
	}

	public leaseHolders(): Promise<string[]> {
		return this.#outbox.leaseHolders();
	}

	public releaseLeases(worker: string, now = Date.now()): Promise<number> {
		return this.#outbox.releaseLeases(worker, now);
	}

	public deliveriesOf(guildId: string, limit: number, statuses: readonly OutboxStatus[] = OUTBOX_STATUSES): Promise<DeliverySummary[]> {
		return this.#outbox.deliveriesOf(guildId, limit, statuses);
	}

	public statusCountsOf(guildId: string): Promise<Partial<Record<OutboxStatus, number>>> {
		return this.#outbox.statusCountsOf(guildId);
	}

	public statusCounts(): Promise<Partial<Record<OutboxStatus, number>>> {
		return this.#outbox.statusCounts();
	}

	public allDeliveries(): Promise<OutboxRow[]> {
		return this.#outbox.allDeliveries();
	}

	/** In batches of ids, so neither a delete nor a list of keys grows with the backlog. */
	public async prune(before: number): Promise<PruneResult> {
		const deliveries = await this.#outbox.pruneFinished(before);
		let events = 0;
		// Old events that still have a delivery (open, or finished too recently to go) stay; the cursor passes over them.
		const old = this.#events.find({ received_at: { $lt: before } }, { projection: { _id: 1 }, batchSize: PRUNE_BATCH });
		let keys: string[] = [];
		const deleteUnreferenced = async () => {
			const referenced = await this.#outbox.referencedEventKeys(keys);
			const unreferenced = keys.filter((key) => !referenced.has(key));
			if (unreferenced.length > 0) events += (await this.#events.deleteMany({ _id: { $in: unreferenced } })).deletedCount;
			keys = [];
		};
		for await (const event of old) {
			keys.push(event._id);
			if (keys.length === PRUNE_BATCH) await deleteUnreferenced();
		}
		if (keys.length > 0) await deleteUnreferenced();
		return { events, deliveries };
	}

	public async forgetKeys(before: number): Promise<number> {
		return (await this.#seenKeys.deleteMany({ day: { $lt: dayOf(before) } })).deletedCount;
	}

	/** Drops the store's collections (tests). */
	public async drop(): Promise<void> {
		await Promise.all(this.#collections.map((collection) => collection.drop().catch(() => false)));
	}

	public async close(): Promise<void> {
		await this.#client.close();
	}
}
