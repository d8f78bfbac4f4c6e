import { container } from '@sapphire/framework';
import { truncate, UserFacingError, type AuditSource } from '#sdk';
import { parseEventList, SUBSCRIBABLE_TYPES } from '../event-choices.js';
import type { DeliverySummary, OutboxStatus, Subscription } from '../store/notification-store.js';
import { onNotificationStore } from './notification-store-access.js';

/** Who changes a guild's subscriptions, for the audit log. */
export interface NotificationsActor {
	readonly actorId: string;
	readonly source: AuditSource;
}

export type SubscriptionTerms = Pick<Subscription, 'events' | 'categoryId' | 'roleId'>;

const unchanged = (why: string) => new UserFacingError('invalid_subscription', `Nothing was changed: ${why}`);

/**
 * What a subscription asks for, read from the text a member typed: the event list (`all` or a comma list) and
 * an optional Kaltura category id. Refused, with what to type instead, when either is not one.
 */
export function subscriptionTermsOf(eventsText: string, categoryText: string | null, roleId: string | null): SubscriptionTerms {
	const parsed = parseEventList(eventsText);
	if ('empty' in parsed)
		throw unchanged('no event type was given. Use `all` for every event, or a comma list of types such as `entry.ready,live_stream.started`.');
	if ('unknown' in parsed) {
		const names = parsed.unknown.map((name) => `“${truncate(name, 40)}”`).join(', ');
		throw unchanged(
			`${names} ${parsed.unknown.length === 1 ? 'is' : 'are'} not an event type. Use \`all\` or some of: ${SUBSCRIBABLE_TYPES.map((type) => `\`${type}\``).join(', ')}.`
		);
	}
	const categoryId = categoryText?.trim() || null;
	if (categoryId !== null && !/^\d{1,20}$/.test(categoryId)) throw unchanged('the category must be a Kaltura category id (digits).');
	return { events: parsed.events, categoryId, roleId };
}

/** Posts these events in the channel from now on, replacing its earlier subscription; the one replaced, if any. */
export async function subscribeChannel(
	guildId: string,
	channelId: string,
	terms: SubscriptionTerms,
	actor: NotificationsActor
): Promise<Subscription | null> {
	const replaced = await onNotificationStore((store) => store.subscribe({ guildId, channelId, ...terms }));
	await container.audit.record({
		guildId,
		...actor,
		action: 'notifications.subscribe',
		target: channelId,
		changes: {
			...terms,
			replaced:
				replaced === null
					? null
					: { events: replaced.events, categoryId: replaced.categoryId, roleId: replaced.roleId, enabled: replaced.enabled }
		}
	});
	return replaced;
}

/** Stops posting in the channel; whether it had a subscription. */
export async function unsubscribeChannel(guildId: string, channelId: string, actor: NotificationsActor): Promise<boolean> {
	const removed = await onNotificationStore((store) => store.unsubscribe(guildId, channelId));
	// A channel that had no subscription lost nothing: not an action to record.
	if (removed) await container.audit.record({ guildId, ...actor, action: 'notifications.unsubscribe', target: channelId });
	return removed;
}

export async function subscriptionsOf(guildId: string): Promise<Subscription[]> {
	return onNotificationStore((store) => store.subscriptionsOf(guildId));
}

export interface DeliveryStatus {
	readonly counts: Partial<Record<OutboxStatus, number>>;
	/** The latest failed or dead deliveries, newest first. */
	readonly failures: DeliverySummary[];
}

export async function deliveryStatusOf(guildId: string): Promise<DeliveryStatus> {
	const [counts, failures] = await onNotificationStore((store) =>
		Promise.all([store.statusCountsOf(guildId), store.deliveriesOf(guildId, 5, ['failed', 'dead'])])
	);
	return { counts, failures };
}
