import type { ClientSession, Collection } from 'mongodb';
import {
	OUTBOX_STATUSES,
	type DeliveryOutcome,
	type DeliverySummary,
	type NotificationEvent,
	type OutboxDraft,
	type OutboxRow,
	type OutboxStatus
} from './notification-store.js';
import { PRUNE_BATCH, toOutboxRow, type CounterDocument, type OutboxDocument } from './mongo-documents.js';

/** The outbox of the MongoDB notification store: queued deliveries, numbered by the `outbox` counter, the claims on them and their outcomes. */
export class MongoOutbox {
	public constructor(
		private readonly outbox: Collection<OutboxDocument>,
		private readonly counters: Collection<CounterDocument>
	) {}

	public indexes(): Promise<string>[] {
		return [
			this.outbox.createIndex({ event_key: 1, channel_id: 1 }, { unique: true }),
			this.outbox.createIndex({ channel_id: 1, status: 1, _id: 1 }),
			this.outbox.createIndex({ status: 1, channel_id: 1 }),
			this.outbox.createIndex({ guild_id: 1, _id: -1 }),
			this.outbox.createIndex({ status: 1, updated_at: 1 }),
			this.outbox.createIndex({ channel_id: 1, subject: 1, _id: -1 }, { partialFilterExpression: { subject: { $type: 'string' } } })
		];
	}

	/** A counter behind the rows (lost, restored from an older backup) would hand out ids that exist: never below the highest. */
	public async catchUpCounter(): Promise<void> {
		const highest = await this.outbox.findOne({}, { sort: { _id: -1 }, projection: { _id: 1 } });
		await this.counters.updateOne({ _id: 'outbox' }, { $max: { value: highest?._id ?? 0 } }, { upsert: true });
	}

	/** `count` new row ids, increasing: the last one is the counter's new value. */
	async #nextIds(count: number, session: ClientSession): Promise<number[]> {
		const counter = await this.counters.findOneAndUpdate(
			{ _id: 'outbox' },
			{ $inc: { value: count } },
			{ upsert: true, returnDocument: 'after', session }
		);
		const last = counter?.value ?? count;
		return Array.from({ length: count }, (_, index) => last - count + 1 + index);
	}

	/** Queues the deliveries of an event, inside the transaction that stores the event. */
	public async enqueue(event: NotificationEvent, outbox: readonly OutboxDraft[], session: ClientSession): Promise<void> {
		if (outbox.length === 0) return;
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
		await this.outbox.insertMany(rows, { session });
	}

	public async openChannels(): Promise<string[]> {
		return (await this.outbox.distinct('channel_id', { status: { $in: ['pending', 'sending'] } })).map(String);
	}

	public async claimHead(channelId: string, worker: string, now: number, leaseUntil: number): Promise<OutboxRow | undefined> {
		const head = await this.outbox.findOne(
			{ channel_id: channelId, status: { $in: ['pending', 'sending'] } },
			{ sort: { _id: 1 }, projection: { _id: 1 } }
		);
		if (head === null) return undefined;
		// One document update is atomic: of two workers racing for the head, one matches and the other does not.
		const claimed = await this.outbox.findOneAndUpdate(
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

	public async finish(id: number, worker: string, outcome: DeliveryOutcome, now: number): Promise<void> {
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
		await this.outbox.updateOne({ _id: id, worker }, { $set: set, $inc: { attempts: 1 } });
	}

	public async previousMessageOf(channelId: string, subject: string, beforeId: number): Promise<string | null> {
		const previous = await this.outbox.findOne(
			{ channel_id: channelId, subject, _id: { $lt: beforeId }, status: 'delivered', message_id: { $type: 'string' } },
			{ sort: { _id: -1 }, projection: { message_id: 1 } }
		);
		return previous?.message_id ?? null;
	}

	public async leaseHolders(): Promise<string[]> {
		return (await this.outbox.distinct('worker', { status: 'sending', worker: { $type: 'string' } })).map(String);
	}

	public async releaseLeases(worker: string, now: number): Promise<number> {
		const { modifiedCount } = await this.outbox.updateMany(
			{ status: 'sending', worker },
			{ $set: { status: 'pending', lease_until: null, updated_at: now } }
		);
		return modifiedCount;
	}

	public async deliveriesOf(guildId: string, limit: number, statuses: readonly OutboxStatus[] = OUTBOX_STATUSES): Promise<DeliverySummary[]> {
		const count = Math.max(0, Math.floor(limit));
		if (count === 0) return [];
		const documents = await this.outbox
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
		const groups = await this.outbox
			.aggregate<{ _id: OutboxStatus; count: number }>([{ $match: { guild_id: guildId } }, { $group: { _id: '$status', count: { $sum: 1 } } }])
			.toArray();
		return Object.fromEntries(groups.map((group) => [group._id, group.count]));
	}

	public async statusCounts(): Promise<Partial<Record<OutboxStatus, number>>> {
		const groups = await this.outbox
			.aggregate<{ _id: OutboxStatus; count: number }>([{ $group: { _id: '$status', count: { $sum: 1 } } }])
			.toArray();
		return Object.fromEntries(groups.map((group) => [group._id, group.count]));
	}

	public async allDeliveries(): Promise<OutboxRow[]> {
		return (await this.outbox.find().sort({ _id: 1 }).toArray()).map(toOutboxRow);
	}

	/** Deletes finished deliveries last changed before `before`, in batches of ids, so neither a delete nor a list of keys grows with the backlog. */
	public async pruneFinished(before: number): Promise<number> {
		let deliveries = 0;
		for (;;) {
			const batch = await this.outbox
				.find({ status: { $in: ['delivered', 'failed', 'dead'] }, updated_at: { $lt: before } }, { projection: { _id: 1 } })
				.limit(PRUNE_BATCH)
				.toArray();
			if (batch.length > 0) deliveries += (await this.outbox.deleteMany({ _id: { $in: batch.map((row) => row._id) } })).deletedCount;
			if (batch.length < PRUNE_BATCH) break;
		}
		return deliveries;
	}

	/** Which of these event keys still have a delivery (so their events stay). */
	public async referencedEventKeys(keys: readonly string[]): Promise<Set<string>> {
		return new Set((await this.outbox.distinct('event_key', { event_key: { $in: [...keys] } })).map(String));
	}
}
