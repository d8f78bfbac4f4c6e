import { EmbedBuilder } from 'discord.js';
import { joinWholeItems, truncate } from '#sdk';
import { ALL_EVENTS, type OutboxStatus, type Subscription } from './store/notification-store.js';
import type { EventTemplate } from './templates.js';
import type { DeliveryStatus, SubscriptionTerms } from './use-cases/subscriptions.js';

/** What `/notifications` answers, in words and embeds. */

export function describeTemplate(template: EventTemplate): string {
	return `title “${truncate(template.title, 256)}”${template.description === '' ? '' : `, description “${truncate(template.description, 1000)}”`}.`;
}

/** As many whole lines as fit in `limit`, and how many more there are: never a mention or timestamp cut in half. */
function wholeLines(lines: readonly string[], limit: number): string {
	const more = (count: number) => `\n…and ${lines.length - count} more.`;
	const { text, count } = joinWholeItems(lines, '\n', limit - more(0).length - String(lines.length).length);
	return count < lines.length ? `${text}${more(count)}` : text;
}

function describeEvents(events: readonly string[]): string {
	return events.includes(ALL_EVENTS) ? 'every Kaltura event' : events.map((type) => `\`${type}\``).join(', ');
}

/** `` `entry.ready` in category 7, mentioning @role ``: what a subscription posts, as the replies say it. */
function describeSubscription(subscription: SubscriptionTerms): string {
	return `${describeEvents(subscription.events)}${subscription.categoryId === null ? '' : ` in category ${subscription.categoryId}`}${subscription.roleId === null ? '' : `, mentioning <@&${subscription.roleId}>`}`;
}

const sameTerms = (a: SubscriptionTerms, b: SubscriptionTerms): boolean =>
	a.categoryId === b.categoryId &&
	a.roleId === b.roleId &&
	a.events.length === b.events.length &&
	a.events.every((type) => b.events.includes(type));

/**
 * What `/notifications subscribe` did, in words: the new terms, and when the channel had a subscription
 * already, what it replaced (or that it was the same, and whether it was paused until now).
 */
export function subscribedReply(channelId: string, terms: SubscriptionTerms, replaced: Subscription | null): string {
	const now = `<#${channelId}> now gets ${describeSubscription(terms)}.`;
	if (replaced === null) return now;
	const paused = replaced.enabled ? '' : ` It was paused (${truncate(replaced.disabledReason ?? 'unknown reason', 200)}) and is on again.`;
	if (sameTerms(terms, replaced)) return `${now} That is the subscription it had already.${paused}`;
	return `${now} This replaces its earlier subscription: ${describeSubscription(replaced)}.${paused}`;
}

export function unsubscribedReply(channelId: string, removed: boolean): string {
	return removed ? `<#${channelId}> no longer gets Kaltura events.` : `<#${channelId}> has no subscription.`;
}

export function subscriptionsEmbed(subscriptions: readonly Subscription[]): EmbedBuilder {
	const lines = subscriptions.map(
		(subscription) =>
			`<#${subscription.channelId}>: ${describeSubscription(subscription)}` +
			`${subscription.enabled ? '' : ` — **disabled** (${truncate(subscription.disabledReason ?? 'unknown reason', 200)}); subscribe again to restart it`}`
	);
	return new EmbedBuilder()
		.setTitle('Kaltura notifications')
		.setColor(0x00_6e_ff)
		.setDescription(lines.length > 0 ? wholeLines(lines, 4000) : 'No channel is subscribed. Subscribe one with `/notifications subscribe`.');
}

export function deliveryStatusEmbed({ counts, failures }: DeliveryStatus): EmbedBuilder {
	const order: OutboxStatus[] = ['delivered', 'pending', 'sending', 'failed', 'dead'];
	const total = order.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
	const embed = new EmbedBuilder()
		.setTitle('Kaltura notification deliveries')
		.setColor(0x00_6e_ff)
		.setDescription(
			total === 0 ? 'Nothing was delivered to this server yet.' : order.map((status) => `${status}: **${counts[status] ?? 0}**`).join(' · ')
		);
	if (failures.length > 0) {
		embed.addFields({
			name: 'Latest failures',
			value: wholeLines(
				failures.map(
					(row) =>
						`<#${row.channel_id}> \`${row.event_type ?? 'event'}\` <t:${Math.floor(row.updated_at / 1000)}:R> (${row.status}): ${truncate(row.last_error ?? 'no error recorded', 150)}`
				),
				1024
			)
		});
	}
	return embed;
}
