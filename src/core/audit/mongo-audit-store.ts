import { MongoClient, type Collection, type Db, type Filter } from 'mongodb';
import { mongoDatabaseOf } from '../env.js';
import type { AuditEntry } from './audit-log.js';
import { timeOfAuditId } from './audit-ids.js';
import { AUDIT_PRUNE_BATCH, entryFromStored, storedFromEntry, type AuditQuery, type AuditStore, type StoredAuditEntry } from './audit-store.js';

/** An entry as stored: the id is the document's `_id`. */
type AuditDocument = Omit<StoredAuditEntry, 'id'> & { _id: string };

interface ChannelDocument {
	/** The guild id: one log channel per guild. */
	_id: string;
	channel_id: string;
	updated_at: number;
}

export interface MongoAuditStoreOptions {
	/** Collection names start with this (default none: `audit` and `audit_channels`), so tests can keep runs apart. */
	readonly prefix?: string;
}

function toEntry({ _id, ...rest }: AuditDocument): AuditEntry {
	return entryFromStored({ id: _id, ...rest });
}

/**
 * The audit log in MongoDB (`MONGODB_URL`; the database the URL names), shared by every bot process.
 * Single-document writes only, so a standalone server serves as well as a replica set.
 */
export class MongoAuditStore implements AuditStore {
	public readonly kind = 'mongodb';
	readonly #client: MongoClient;
	readonly #entries: Collection<AuditDocument>;
	readonly #channels: Collection<ChannelDocument>;

	private constructor(client: MongoClient, db: Db, prefix: string) {
		this.#client = client;
		// Acknowledged by a majority and journaled: a recorded entry is not lost when the primary fails over.
		const writeConcern = { w: 'majority' as const, journal: true, wtimeoutMS: 5_000 };
		this.#entries = db.collection<AuditDocument>(`${prefix}audit`, { writeConcern });
		this.#channels = db.collection<ChannelDocument>(`${prefix}audit_channels`, { writeConcern });
	}

	/** Connects and creates the indexes (a no-op when they exist). */
	public static async connect(url: string, options: MongoAuditStoreOptions = {}): Promise<MongoAuditStore> {
		const database = mongoDatabaseOf(url);
		if (database === null) throw new Error('MONGODB_URL must be a MongoDB connection string naming a database, e.g. mongodb://db:27017/kaltura.');
		// An admin waits for the entry before the reply: fail in seconds (the driver's default is 30) unless the URL says otherwise.
		const timeout = /[?&]serverSelectionTimeoutMS=/i.test(url) ? {} : { serverSelectionTimeoutMS: 5_000 };
		const client = new MongoClient(url, { ...timeout, appName: 'kaltura-discord-bot' });
		try {
			await client.connect();
			const store = new MongoAuditStore(client, client.db(database), options.prefix ?? '');
			await store.#createIndexes();
			return store;
		} catch (error) {
			await client.close().catch(() => undefined);
			throw error;
		}
	}

	async #createIndexes(): Promise<void> {
		await Promise.all([
			this.#entries.createIndex({ guild_id: 1, at: -1, _id: -1 }),
			this.#entries.createIndex({ guild_id: 1, actor_id: 1, at: -1 }),
			this.#entries.createIndex({ guild_id: 1, action: 1, at: -1 }),
			this.#entries.createIndex({ at: 1 })
		]);
	}

	public async insert(entry: AuditEntry): Promise<void> {
		const { id, ...stored } = storedFromEntry(entry);
		await this.#entries.insertOne({ _id: id, ...stored });
	}

	public async list(query: AuditQuery): Promise<AuditEntry[]> {
		const filter: Filter<AuditDocument> = { guild_id: query.guildId };
		if (query.actorId !== undefined) filter.actor_id = query.actorId;
		if (query.action !== undefined) filter.action = query.action;
		if (query.before !== undefined && 'id' in query.before) {
			filter.at = { $lte: timeOfAuditId(query.before.id) };
			filter._id = { $lt: query.before.id };
		} else if (query.before !== undefined) filter.at = { $lt: query.before.at };
		const limit = Math.max(0, Math.floor(query.limit));
		if (limit === 0) return [];
		const documents = await this.#entries
			.find(filter)
			.sort({ at: -1, _id: -1 })
			.skip(Math.max(0, Math.floor(query.offset ?? 0)))
			.limit(limit)
			.toArray();
		return documents.map(toEntry);
	}

	/** In batches of ids, so neither one delete nor one list of ids grows with the backlog. */
	public async prune(before: number): Promise<number> {
		let deleted = 0;
		for (;;) {
			const batch = await this.#entries
				.find({ at: { $lt: before } }, { projection: { _id: 1 } })
				.limit(AUDIT_PRUNE_BATCH)
				.toArray();
			if (batch.length > 0) deleted += (await this.#entries.deleteMany({ _id: { $in: batch.map((document) => document._id) } })).deletedCount;
			if (batch.length < AUDIT_PRUNE_BATCH) return deleted;
		}
	}

	public async logChannelOf(guildId: string): Promise<string | null> {
		return (await this.#channels.findOne({ _id: guildId }))?.channel_id ?? null;
	}

	public async setLogChannel(guildId: string, channelId: string | null, now = Date.now()): Promise<void> {
		if (channelId === null) await this.#channels.deleteOne({ _id: guildId });
		else await this.#channels.updateOne({ _id: guildId }, { $set: { channel_id: channelId, updated_at: now } }, { upsert: true });
	}

	/** The `ping` admin command on the store's own connection: a server that answers, without reading a collection. */
	public async ping(): Promise<void> {
		await this.#client.db('admin').command({ ping: 1 });
	}

	/** Drops the store's collections (tests). */
	public async drop(): Promise<void> {
		await Promise.all([this.#entries, this.#channels].map((collection) => collection.drop().catch(() => false)));
	}

	public async close(): Promise<void> {
		await this.#client.close();
	}
}
