import { container } from '@sapphire/framework';
import type { NotificationType } from './normalise.js';
import { followUpOf } from './follow-ups.js';
import { categoriesOf, payloadObject, renderMessage } from './render.js';
import type { NotificationStore, OutboxDraft } from './store/notification-store.js';
import notifications from '../plugin.js';
import { templateOf, type EventTemplate } from './templates.js';

export interface FanOut {
	/** Does any enabled subscription want the type? Only then is the event's body worth keeping. */
	readonly wanted: boolean;
	readonly drafts: OutboxDraft[];
}

/**
 * The deliveries an event makes: one per enabled subscription that wants its type (and its category, when
 * the subscription names one), in guilds where the plugin is on, each message rendered now. Read before the
 * event's transaction (the guild config is asynchronous); a subscription changed in between applies to the
 * next event.
 */
export async function fanOut(
	store: NotificationStore,
	type: NotificationType,
	objectId: string | null,
	payload: unknown,
	partnerId: number
): Promise<FanOut> {
	const subscriptions = await store.enabledSubscriptionsFor(type);
	if (subscriptions.length === 0) return { wanted: false, drafts: [] };
	const categories = categoriesOf(payloadObject(payload));
	// Per guild: null when the plugin is off there, else the guild's template for this type.
	const guilds = new Map<string, { template: EventTemplate } | null>();
	const drafts: OutboxDraft[] = [];
	const { subject, editsPrevious } = followUpOf(type, objectId);
	for (const subscription of subscriptions) {
		if (subscription.categoryId !== null && !categories.includes(subscription.categoryId)) continue;
		let guild = guilds.get(subscription.guildId);
		if (guild === undefined) {
			try {
				const config = await container.guildConfig.resolve(subscription.guildId);
				guild = container.guildConfig.isPluginEnabled(config, notifications.name)
					? { template: templateOf(notifications.settingsIn(config), type) }
					: null;
			} catch (error) {
				container.logger.warn(`Notifications: the config of guild ${subscription.guildId} could not be read; nothing queued for it:`, error);
				guild = null;
			}
			guilds.set(subscription.guildId, guild);
		}
		if (guild === null) continue;
		drafts.push({
			guildId: subscription.guildId,
			channelId: subscription.channelId,
			body: renderMessage(type, payload, partnerId, subscription.roleId, guild.template),
			subject,
			editsPrevious
		});
	}
	return { wanted: true, drafts };
}
