import type { Collection } from 'mongodb';
import type { NotificationType } from '../normalise.js';
import { wantsType, type Subscription, type SubscriptionInput } from './notification-store.js';
import { toSubscription, type SubscriptionDocument } from './mongo-documents.js';

/** The subscriptions of the MongoDB notification store: one document per channel. */
export class MongoSubscriptions {
	public constructor(private readonly subscriptions: Collection<SubscriptionDocument>) {}

	public indexes(): Promise<string>[] {
		return [this.subscriptions.createIndex({ guild_id: 1, _id: 1 }), this.subscriptions.createIndex({ enabled: 1 })];
	}

	public async subscribe(input: SubscriptionInput, now: number): Promise<Subscription | null> {
		// One document operation, atomic: the document it answers with is the one it replaced.
		const previous = await this.subscriptions.findOneAndReplace(
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
		const { deletedCount } = await this.subscriptions.deleteOne({ _id: channelId, guild_id: guildId });
		return deletedCount === 1;
	}

	public async subscriptionsOf(guildId: string): Promise<Subscription[]> {
		return (await this.subscriptions.find({ guild_id: guildId }).sort({ _id: 1 }).toArray()).map(toSubscription);
	}

	public async enabledSubscriptionsFor(type: NotificationType): Promise<Subscription[]> {
		return (await this.subscriptions.find({ enabled: true }).toArray())
			.map(toSubscription)
			.filter((subscription) => wantsType(subscription, type));
	}

	public async disableSubscription(channelId: string, reason: string, now: number): Promise<boolean> {
		const { modifiedCount } = await this.subscriptions.updateOne(
			{ _id: channelId, enabled: true },
			{ $set: { enabled: false, disabled_reason: reason, updated_at: now } }
		);
		return modifiedCount === 1;
	}
}
