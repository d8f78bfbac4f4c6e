import {
	MongoClient,
	MongoServerError,
	ObjectId,
	type ClientSession,
	type Collection,
	type Db,
	type TransactionOptions,
	type WriteConcernSettings
} from 'mongodb';
import { mongoDatabaseOf } from '#sdk';
import type { NotificationType } from '../normalise.js';
import {
	dayOf,
	OUTBOX_STATUSES,
	wantsType,
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

interface EventDocument {
	/** The event's key. */
	_id: string;
	/** Insertion order, for ties in `received_at` (ObjectIds increase within a process). */
	order: ObjectId;
	type: string;
	event_type: number | null;
	event_object_type: string | null;
	object_id: string | null;
	partner_id: number | null;
	received_at: number;
	payload: string | null;
}

interface SeenKeyDocument {
	/** The event's key. */
	_id: string;
	/** Unix day it was received. */
	day: number;
}

interface SubscriptionDocument {
	/** The channel id: one subscription per channel. */
	_id: string;
	guild_id: string;
	events: string[];
	category_id: string | null;
	role_id: string | null;
	enabled: boolean;
	disabled_reason: string | null;
	updated_at: number;
}

interface OutboxDocument {
	/** The row id, from the `outbox` counter. */
	_id: number;
	event_key: string;
	/** Kept on the row (no joins in MongoDB) for the status listings. */
	event_type: string;
	guild_id: string;
	channel_id: string;
	body: string;
	subject: string | null;
	edits_previous: boolean;
	status: OutboxStatus;
	attempts: number;
	next_attempt_at: number;
	lease_until: number | null;
	worker: string | null;
	last_error: string | null;
	message_id: string | null;
	/** Absent on rows written before claims were counted: such a row counts as claimed once already. */
	claims?: number;
	first_claimed_at?: number | null;
	created_at: number;
	updated_at: number;
}

interface CounterDocument {
	_id: string;
	value: number;
}

/** Documents deleted per request when pruning. */
const PRUNE_BATCH = 1_000;

/** MongoDB's duplicate key error. */
const DUPLICATE_KEY = 11_000;

const isDuplicateKey = (error: unknown) => error instanceof MongoServerError && error.code === DUPLICATE_KEY;

/**
 * Acknowledged by a majority and journaled: what the webhook's 200 promises. With a time limit, since a replica
 * set that has lost its majority would otherwise hold every write (and every webhook) forever; a write that
 * times out is answered 503, and Kaltura sends the notification again.
 */
const DURABLE: WriteConcernSettings = { w: 'majority', journal: true, wtimeoutMS: 5_000 };

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
 */
export class MongoNotificationStore implements NotificationStore {
	public readonly kind = 'mongodb';
	readonly #client: MongoClient;
	readonly #events: Collection<EventDocument>;
	readonly #subscriptions: Collection<SubscriptionDocument>;
	readonly #outbox: Collection<OutboxDocument>;
	readonly #counters: Collection<CounterDocument>;
	readonly #seenKeys: Collection<SeenKeyDocument>;

	private constructor(client: MongoClient, db: Db, prefix: string) {
		this.#client = client;
		this.#events = db.collection<EventDocument>(`${prefix}events`, { writeConcern: DURABLE });
		this.#subscriptions = db.collection<SubscriptionDocument>(`${prefix}subscriptions`, { writeConcern: DURABLE });
		this.#outbox = db.collection<OutboxDocument>(`${prefix}outbox`, { writeConcern: DURABLE });
		this.#counters = db.collection<CounterDocument>(`${prefix}counters`, { writeConcern: DURABLE });
		this.#seenKeys = db.collection<SeenKeyDocument>(`${prefix}seen_keys`, { writeConcern: DURABLE });
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
			await store.#catchUpCounter();
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
			this.#subscriptions.createIndex({ guild_id: 1, _id: 1 }),
			this.#subscriptions.createIndex({ enabled: 1 }),
			this.#outbox.createIndex({ event_key: 1, channel_id: 1 }, { unique: true }),
			this.#outbox.createIndex({ channel_id: 1, status: 1, _id: 1 }),
			this.#outbox.createIndex({ status: 1, channel_id: 1 }),
			this.#outbox.createIndex({ guild_id: 1, _id: -1 }),
			this.#outbox.createIndex({ status: 1, updated_at: 1 }),
			this.#outbox.createIndex({ channel_id: 1, subject: 1, _id: -1 }, { partialFilterExpression: { subject: { $type: 'string' } } }),
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

	/** A counter behind the rows (lost, restored from an older backup) would hand out ids that exist: never below the highest. */
	async #catchUpCounter(): Promise<void> {
		const highest = await this.#outbox.findOne({}, { sort: { _id: -1 }, projection: { _id: 1 } });
		await this.#counters.updateOne({ _id: 'outbox' }, { $max: { value: highest?._id ?? 0 } }, { upsert: true });
	}

	/** `count` new row ids, increasing: the last one is the counter's new value. */
	async #nextIds(count: number, session: ClientSession): Promise<number[]> {
		const counter = await this.#counters.findOneAndUpdate(
			{ _id: 'outbox' },
			{ $inc: { value: count } },
			{ upsert: true, returnDocument: 'after', session }
		);
		const last = counter?.value ?? count;
		return Array.from({ length: count }, (_, index) => last - count + 1 + index);
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
		if (outbox.length > 0) {
			const ids = await this.#nextIds(outbox.length, session);
			const rows = outbox.map((draft, index): OutboxDocument => ({
				_id: ids[index] ?? Number.NaN,
				event_key: event.key,
				event_type: event.type,
				guild_id: draft.guildId,
				channel_id: draft.channelId,
				body: JSON.stringify(draft.body),
				subject: draft.subject ?? null,
				edits_previous: draft.editsPrevious === true,
				status: 'pending',
				attempts: 0,
				next_attempt_at: event.receivedAt,
				lease_until: null,
				worker: null,
				last_error: null,
				message_id: null,
				claims: 0,
				first_claimed_at: null,
				created_at: event.receivedAt,
				updated_at: event.receivedAt
			}));
			await this.#outbox.insertMany(rows, { session });
		}
		await this.#events.insertOne(
			{
				_id: event.key,
				order: new ObjectId(),
				type: event.type,
				event_type: event.eventType,
				event_object_type: event.eventObjectType,
				object_id: event.objectId,
				partner_id: event.partnerId,
				received_at: event.receivedAt,
				payload: event.payload
			},
			{ session }
		);
		return 'stored';
	}

	public async recent(limit: number): Promise<NotificationEvent[]> {
		const count = Math.max(0, Math.floor(limit));
		if (count === 0) return [];
		const documents = await this.#events.find().sort({ received_at: -1, order: -1 }).limit(count).toArray();
		return documents.map((document) => ({
			key: document._id,
			type: document.type as NotificationType,
			eventType: document.event_type,
			eventObjectType: document.event_object_type,
			objectId: document.object_id,
			partnerId: document.partner_id,
			receivedAt: document.received_at,
			payload: document.payload
		}));
	}

	public async countsByType(): Promise<Partial<Record<NotificationType, number>>> {
		const groups = await this.#events.aggregate<{ _id: string; count: number }>([{ $group: { _id: '$type', count: { $sum: 1 } } }]).toArray();
		return Object.fromEntries(groups.map((group) => [group._id, group.count]));
	}

	public async subscribe(input: SubscriptionInput, now = Date.now()): Promise<Subscription | null> {
		// One document operation, atomic: the document it answers with is the one it replaced.
		const previous = await this.#subscriptions.findOneAndReplace(
			{ _id: input.channelId },
			{
				guild_id: input.guildId,
				events: [...input.events],
				category_id: input.categoryId,
				role_id: input.roleId,
				enabled: true,
				disabled_reason: null,
				updated_at: now
			},
			{ upsert: true, returnDocument: 'before' }
		);
		return previous === null ? null : toSubscription(previous);
	}

	public async unsubscribe(guildId: string, channelId: string): Promise<boolean> {
		const { deletedCount } = await this.#subscriptions.deleteOne({ _id: channelId, guild_id: guildId });
		return deletedCount === 1;
	}

	public async subscriptionsOf(guildId: string): Promise<Subscription[]> {
		return (await this.#subscriptions.find({ guild_id: guildId }).sort({ _id: 1 }).toArray()).map(toSubscription);
	}

	public async enabledSubscriptionsFor(type: NotificationType): Promise<Subscription[]> {
		return (await this.#subscriptions.find({ enabled: true }).toArray())
			.map(toSubscription)
			.filter((subscription) => wantsType(subscription, type));
	}

	public async disableSubscription(channelId: string, reason: string, now = Date.now()): Promise<boolean> {
		const { modifiedCount } = await this.#subscriptions.updateOne(
			{ _id: channelId, enabled: true },
			{ $set: { enabled: false, disabled_reason: reason, updated_at: now } }
		);
		return modifiedCount === 1;
	}

	public async openChannels(): Promise<string[]> {
		return (await this.#outbox.distinct('channel_id', { status: { $in: ['pending', 'sending'] } })).map(String);
	}

	public async claimHead(channelId: string, worker: string, now: number, leaseUntil: number): Promise<OutboxRow | undefined> {
		const head = await this.#outbox.findOne(
			{ channel_id: channelId, status: { $in: ['pending', 'sending'] } },
			{ sort: { _id: 1 }, projection: { _id: 1 } }
		);
		if (head === null) return undefined;
		// One document update is atomic: of two workers racing for the head, one matches and the other does not.
		const claimed = await this.#outbox.findOneAndUpdate(
			{
				_id: head._id,
				$or: [
					{ status: 'pending', next_attempt_at: { $lte: now } },
					{ status: 'sending', lease_until: { $lt: now } }
				]
			},
			// A pipeline update, so the claim can count itself and keep the first claim's time in the same write.
			[
				{
					$set: {
						status: 'sending',
						lease_until: leaseUntil,
						// Text in a pipeline could read as a field path: taken literally.
						worker: { $literal: worker },
						updated_at: now,
						claims: { $add: [{ $ifNull: ['$claims', 1] }, 1] },
						first_claimed_at: {
							$ifNull: ['$first_claimed_at', { $cond: [{ $eq: [{ $type: '$claims' }, 'missing'] }, '$created_at', now] }]
						}
					}
				}
			],
			{ returnDocument: 'after' }
		);
		return claimed === null ? undefined : toOutboxRow(claimed);
	}

	public async finish(id: number, worker: string, outcome: DeliveryOutcome, now = Date.now()): Promise<void> {
		const set =
			outcome.status === 'delivered'
				? { status: outcome.status, message_id: outcome.messageId, lease_until: null, updated_at: now }
				: {
						status: outcome.status,
						last_error: outcome.error.slice(0, 500),
						next_attempt_at: outcome.nextAttemptAt ?? now,
						lease_until: null,
						updated_at: now
					};
		await this.#outbox.updateOne({ _id: id, worker }, { $set: set, $inc: { attempts: 1 } });
	}

	public async previousMessageOf(channelId: string, subject: string, beforeId: number): Promise<string | null> {
		const previous = await this.#outbox.findOne(
			{ channel_id: channelId, subject, _id: { $lt: beforeId }, status: 'delivered', message_id: { $type: 'string' } },
			{ sort: { _id: -1 }, projection: { message_id: 1 } }
		);
		return previous?.message_id ?? null;
	}

	public async leaseHolders(): Promise<string[]> {
		return (await this.#outbox.distinct('worker', { status: 'sending', worker: { $type: 'string' } })).map(String);
	}

	public async releaseLeases(worker: string, now = Date.now()): Promise<number> {
		const { modifiedCount } = await this.#outbox.updateMany(
			{ status: 'sending', worker },
			{ $set: { status: 'pending', lease_until: null, updated_at: now } }
		);
		return modifiedCount;
	}

	public async deliveriesOf(guildId: string, limit: number, statuses: readonly OutboxStatus[] = OUTBOX_STATUSES): Promise<DeliverySummary[]> {
		const count = Math.max(0, Math.floor(limit));
		if (count === 0) return [];
		const documents = await this.#outbox
			.find({ guild_id: guildId, status: { $in: [...statuses] } }, { projection: { body: 0 } })
			.sort({ _id: -1 })
			.limit(count)
			.toArray();
		return documents.map((document) => ({
			id: document._id,
			event_key: document.event_key,
			event_type: document.event_type,
			channel_id: document.channel_id,
			status: document.status,
			attempts: document.attempts,
			last_error: document.last_error,
			created_at: document.created_at,
			updated_at: document.updated_at
		}));
	}

	public async statusCountsOf(guildId: string): Promise<Partial<Record<OutboxStatus, number>>> {
		const groups = await this.#outbox
			.aggregate<{ _id: OutboxStatus; count: number }>([{ $match: { guild_id: guildId } }, { $group: { _id: '$status', count: { $sum: 1 } } }])
			.toArray();
		return Object.fromEntries(groups.map((group) => [group._id, group.count]));
	}

	public async allDeliveries(): Promise<OutboxRow[]> {
		return (await this.#outbox.find().sort({ _id: 1 }).toArray()).map(toOutboxRow);
	}

	/** In batches of ids, so neither a delete nor a list of keys grows with the backlog. */
	public async prune(before: number): Promise<PruneResult> {
		let deliveries = 0;
		for (;;) {
			const batch = await this.#outbox
				.find({ status: { $in: ['delivered', 'failed', 'dead'] }, updated_at: { $lt: before } }, { projection: { _id: 1 } })
				.limit(PRUNE_BATCH)
				.toArray();
			if (batch.length > 0) deliveries += (await this.#outbox.deleteMany({ _id: { $in: batch.map((row) => row._id) } })).deletedCount;
			if (batch.length < PRUNE_BATCH) break;
		}
		let events = 0;
		// Old events that still have a delivery (open, or finished too recently to go) stay; the cursor passes over them.
		const old = this.#events.find({ received_at: { $lt: before } }, { projection: { _id: 1 }, batchSize: PRUNE_BATCH });
		let keys: string[] = [];
		const deleteUnreferenced = async () => {
			const referenced = new Set((await this.#outbox.distinct('event_key', { event_key: { $in: keys } })).map(String));
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
		await Promise.all(
			[this.#events, this.#subscriptions, this.#outbox, this.#counters, this.#seenKeys].map((collection) =>
				collection.drop().catch(() => false)
			)
		);
	}

	public async close(): Promise<void> {
		await this.#client.close();
	}
}

function toSubscription(document: SubscriptionDocument): Subscription {
	return {
		guildId: document.guild_id,
		channelId: document._id,
		events: document.events,
		categoryId: document.category_id,
		roleId: document.role_id,
		enabled: document.enabled,
		disabledReason: document.disabled_reason
	};
}

function toOutboxRow(document: OutboxDocument): OutboxRow {
	return {
		id: document._id,
		event_key: document.event_key,
		guild_id: document.guild_id,
		channel_id: document.channel_id,
		body: document.body,
		status: document.status,
		attempts: document.attempts,
		next_attempt_at: document.next_attempt_at,
		lease_until: document.lease_until,
		worker: document.worker,
		last_error: document.last_error,
		message_id: document.message_id,
		subject: document.subject,
		edits_previous: document.edits_previous,
		claims: document.claims ?? 1,
		first_claimed_at: document.first_claimed_at ?? (document.claims === undefined ? document.created_at : null)
	};
}
