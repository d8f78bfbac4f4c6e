import type { Command } from '@sapphire/framework';
import {
	ChannelType,
	DiscordAPIError,
	EmbedBuilder,
	MessageFlags,
	PermissionFlagsBits,
	Routes,
	SlashCommandBuilder,
	type AutocompleteInteraction,
	type ChatInputCommandInteraction,
	type RESTPostAPIApplicationCommandsJSONBody
} from 'discord.js';
import { autocompleteAllowed, ConfigValidationError, joinWholeItems, replyPrivately, truncate, VersionedCommand } from '#sdk';
import { PLUGIN_NAME } from '../lib/fan-out.js';
import { eventListCompletions, parseEventList, SUBSCRIBABLE_TYPES } from '../lib/event-choices.js';
import type { NotificationType } from '../lib/normalise.js';
import { mentionRoleProblem } from '../lib/mention-role.js';
import { renderMessage } from '../lib/render.js';
import { sampleObject } from '../lib/samples.js';
import { KNOWN_PLACEHOLDERS_TEXT, TEMPLATE_TYPES, templateKeys, templateOf, unknownPlaceholders } from '../lib/templates.js';
import { ALL_EVENTS, type DeliverySummary, type NotificationStore, type OutboxStatus, type Subscription } from '../lib/store/notification-store.js';
import { notificationStore } from '../lib/store/open-store.js';

/** What a store call gives back when the store failed (the member has been told). */
const UNAVAILABLE = Symbol('store unavailable');

export { SUBSCRIBABLE_TYPES };

export { parseEventList };

const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

export class NotificationsCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, {
			version: '1.2.0',
			description: 'Choose which Kaltura events are posted in which channel',
			runIn: ['GUILD_ANY'],
			requiredUserPermissions: [PermissionFlagsBits.ManageGuild]
		});
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			new SlashCommandBuilder()
				.setName('notifications')
				.setDescription('Choose which Kaltura events are posted in which channel')
				.setContexts(0)
				.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
				.addSubcommand((sub) =>
					sub
						.setName('subscribe')
						.setDescription('Post Kaltura events in a channel (replaces its earlier subscription)')
						.addChannelOption((option) =>
							option
								.setName('channel')
								.setDescription('Where to post')
								.setRequired(true)
								.addChannelTypes(...TEXT_CHANNELS)
						)
						.addStringOption((option) =>
							option
								.setName('events')
								.setDescription('"all", or a comma list such as entry.ready,live_stream.started (pick them one by one)')
								.setRequired(true)
								.setMaxLength(300)
								.setAutocomplete(true)
						)
						.addStringOption((option) =>
							option.setName('category').setDescription('Only events of entries in this Kaltura category id').setMaxLength(20)
						)
						.addRoleOption((option) => option.setName('mention-role').setDescription('A role to mention in each post'))
				)
				.addSubcommand((sub) =>
					sub
						.setName('unsubscribe')
						.setDescription('Stop posting Kaltura events in a channel')
						.addChannelOption((option) =>
							option
								.setName('channel')
								.setDescription('The channel')
								.setRequired(true)
								.addChannelTypes(...TEXT_CHANNELS)
						)
				)
				.addSubcommand((sub) => sub.setName('list').setDescription('Show this server’s subscriptions'))
				.addSubcommandGroup((group) =>
					group
						.setName('template')
						.setDescription('How posts of an event type look')
						.addSubcommand((sub) =>
							sub
								.setName('set')
								.setDescription('Set the title (and description) of posts of an event type; {placeholders} are filled in')
								.addStringOption((option) => eventOption(option))
								.addStringOption((option) =>
									option.setName('title').setDescription('e.g. "{title} is ready to watch"').setRequired(true).setMaxLength(256)
								)
								.addStringOption((option) =>
									option
										.setName('description')
										.setDescription('e.g. "{description} ({duration})"; the default when left out')
										.setMaxLength(2000)
								)
						)
						.addSubcommand((sub) =>
							sub
								.setName('reset')
								.setDescription('Go back to the default template of an event type')
								.addStringOption((option) => eventOption(option))
						)
				)
				.addSubcommand((sub) =>
					sub
						.setName('test')
						.setDescription('Post a sample event in a channel, with this server’s template')
						.addChannelOption((option) =>
							option
								.setName('channel')
								.setDescription('Where to post')
								.setRequired(true)
								.addChannelTypes(...TEXT_CHANNELS)
						)
						.addStringOption((option) => eventOption(option))
				)
				.addSubcommand((sub) => sub.setName('status').setDescription('Recent deliveries and failures of this server'))
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const guildId = interaction.guildId;
		if (interaction.options.getSubcommandGroup(false) === 'template') return this.#template(interaction);
		if (interaction.options.getSubcommand(true) === 'test') return this.#test(interaction);
		// MongoDB is a network away (and may be down): acknowledge first, so Discord's 3-second window cannot run out.
		if (this.container.env.MONGODB_URL !== undefined) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		switch (interaction.options.getSubcommand(true)) {
			case 'status': {
				const read = await this.#fromStore(interaction, (store) =>
					Promise.all([store.statusCountsOf(guildId), store.deliveriesOf(guildId, 5, ['failed', 'dead'])])
				);
				return read === UNAVAILABLE ? undefined : this.#status(interaction, ...read);
			}
			case 'subscribe': {
				const channel = interaction.options.getChannel('channel', true);
				const parsed = parseEventList(interaction.options.getString('events', true));
				if ('empty' in parsed) {
					return replyPrivately(
						interaction,
						`Nothing was changed: no event type was given. Use \`all\` for every event, or a comma list of types such as \`entry.ready,live_stream.started\`.`
					);
				}
				if ('unknown' in parsed) {
					return replyPrivately(
						interaction,
						`Nothing was changed: ${parsed.unknown.map((name) => `“${truncate(name, 40)}”`).join(', ')} ${parsed.unknown.length === 1 ? 'is' : 'are'} not an event type. Use \`all\` or some of: ${SUBSCRIBABLE_TYPES.map((type) => `\`${type}\``).join(', ')}.`
					);
				}
				const category = interaction.options.getString('category')?.trim() || null;
				if (category !== null && !/^\d{1,20}$/.test(category))
					return replyPrivately(interaction, 'Nothing was changed: the category must be a Kaltura category id (digits).');
				const role = interaction.options.getRole('mention-role');
				const mentionProblem = role === null ? undefined : mentionRoleProblem(interaction, role, channel.id);
				if (mentionProblem !== undefined) return replyPrivately(interaction, `Nothing was changed: ${mentionProblem}.`);
				const wanted = { events: parsed.events, categoryId: category, roleId: role?.id ?? null };
				const replaced = await this.#fromStore(interaction, (store) => store.subscribe({ guildId, channelId: channel.id, ...wanted }));
				if (replaced === UNAVAILABLE) return undefined;
				await this.container.audit.record({
					guildId,
					actorId: interaction.user.id,
					source: 'command',
					action: 'notifications.subscribe',
					target: channel.id,
					changes: {
						...wanted,
						replaced:
							replaced === null
								? null
								: { events: replaced.events, categoryId: replaced.categoryId, roleId: replaced.roleId, enabled: replaced.enabled }
					}
				});
				return replyPrivately(interaction, subscribedReply(channel.id, wanted, replaced));
			}
			case 'unsubscribe': {
				const channel = interaction.options.getChannel('channel', true);
				const removed = await this.#fromStore(interaction, (store) => store.unsubscribe(guildId, channel.id));
				if (removed === UNAVAILABLE) return undefined;
				// A channel that had no subscription lost nothing: not an action to record.
				if (removed)
					await this.container.audit.record({
						guildId,
						actorId: interaction.user.id,
						source: 'command',
						action: 'notifications.unsubscribe',
						target: channel.id
					});
				return replyPrivately(
					interaction,
					removed ? `<#${channel.id}> no longer gets Kaltura events.` : `<#${channel.id}> has no subscription.`
				);
			}
			default: {
				const subscriptions = await this.#fromStore(interaction, (store) => store.subscriptionsOf(guildId));
				if (subscriptions === UNAVAILABLE) return undefined;
				const lines = subscriptions.map(
					(subscription) =>
						`<#${subscription.channelId}>: ${describeSubscription(subscription)}` +
						`${subscription.enabled ? '' : ` — **disabled** (${truncate(subscription.disabledReason ?? 'unknown reason', 200)}); subscribe again to restart it`}`
				);
				const embed = new EmbedBuilder()
					.setTitle('Kaltura notifications')
					.setColor(0x00_6e_ff)
					.setDescription(
						lines.length > 0 ? wholeLines(lines, 4000) : 'No channel is subscribed. Subscribe one with `/notifications subscribe`.'
					);
				return replyPrivately(interaction, { embeds: [embed] });
			}
		}
	}

	/**
	 * Completes the event list of `/notifications subscribe` as it is typed: several types, comma-separated,
	 * each completion keeping what comes before the last comma. Nothing is looked up, but the gate still
	 * applies: no suggestions outside the served servers or where the plugin is off.
	 */
	public override async autocompleteRun(interaction: AutocompleteInteraction) {
		const focused = interaction.options.getFocused(true);
		if (focused.name !== 'events' || !(await autocompleteAllowed(interaction, this))) return interaction.respond([]);
		return interaction.respond(eventListCompletions(String(focused.value)));
	}

	/**
	 * Runs `call` on the store. When the store cannot be opened or the call fails (MongoDB down, a locked or
	 * unwritable file), the member is told plainly that nothing was read or changed, and UNAVAILABLE comes back.
	 */
	async #fromStore<T>(
		interaction: ChatInputCommandInteraction<'cached' | 'raw'>,
		call: (store: NotificationStore) => Promise<T>
	): Promise<T | typeof UNAVAILABLE> {
		try {
			return await call(await notificationStore(this.container.env));
		} catch (error) {
			this.container.logger.warn('Notifications: the store failed during /notifications:', error);
			await replyPrivately(
				interaction,
				'The notification store cannot be reached right now, so nothing was read or changed. Try again in a minute.'
			);
			return UNAVAILABLE;
		}
	}

	async #template(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const type = interaction.options.getString('event', true) as NotificationType;
		if (!(TEMPLATE_TYPES as readonly string[]).includes(type))
			return replyPrivately(interaction, `Nothing was changed: \`${truncate(type, 40)}\` is not an event type.`);
		const path = `${PLUGIN_NAME}.templates.${templateKeys(type).join('.')}`;
		if (interaction.options.getSubcommand(true) === 'reset') {
			const config = await this.container.guildConfig.reset(interaction.guildId, path);
			await this.container.audit.record({
				guildId: interaction.guildId,
				actorId: interaction.user.id,
				source: 'command',
				action: 'notifications.template-reset',
				target: type
			});
			return replyPrivately(
				interaction,
				`Posts of \`${type}\` use the default template again: ${describeTemplate(templateOf(config[PLUGIN_NAME], type))}`
			);
		}
		const title = interaction.options.getString('title', true);
		const description = interaction.options.getString('description');
		const unknown = unknownPlaceholders(`${title}\n${description ?? ''}`);
		if (unknown.length > 0) {
			return replyPrivately(
				interaction,
				`Nothing was changed: ${unknown.map((name) => `\`{${truncate(name, 40)}}\``).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a placeholder. Known placeholders: ${KNOWN_PLACEHOLDERS_TEXT}.`
			);
		}
		try {
			const config = await this.container.guildConfig.set(interaction.guildId, path, description === null ? { title } : { title, description });
			await this.container.audit.record({
				guildId: interaction.guildId,
				actorId: interaction.user.id,
				source: 'command',
				action: 'notifications.template-set',
				target: type,
				changes: description === null ? { title } : { title, description }
			});
			return await replyPrivately(interaction, `Posts of \`${type}\` now use: ${describeTemplate(templateOf(config[PLUGIN_NAME], type))}`);
		} catch (error) {
			if (error instanceof ConfigValidationError) return replyPrivately(interaction, `Nothing was changed: ${truncate(error.message, 1800)}`);
			throw error;
		}
	}

	async #test(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const channel = interaction.options.getChannel('channel', true);
		const type = interaction.options.getString('event', true) as NotificationType;
		if (!(TEMPLATE_TYPES as readonly string[]).includes(type))
			return replyPrivately(interaction, `\`${truncate(type, 40)}\` is not an event type.`);
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const config = await this.container.guildConfig.resolve(interaction.guildId);
		const body = renderMessage(
			type,
			{ object: sampleObject(type as Exclude<NotificationType, 'unknown'>) },
			this.container.env.KALTURA_PARTNER_ID,
			null,
			templateOf(config[PLUGIN_NAME], type)
		);
		try {
			await this.container.client.rest.post(Routes.channelMessages(channel.id), { body });
		} catch (error) {
			if (error instanceof DiscordAPIError)
				return replyPrivately(interaction, `The sample was not posted in <#${channel.id}>: ${explainRefusal(error)}`);
			throw error;
		}
		return replyPrivately(interaction, `A sample \`${type}\` post was sent to <#${channel.id}>.`);
	}

	#status(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, counts: Partial<Record<OutboxStatus, number>>, failures: DeliverySummary[]) {
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
		return replyPrivately(interaction, { embeds: [embed] });
	}
}

/** A Discord refusal in plain words. */
export function explainRefusal(error: DiscordAPIError): string {
	if (error.status === 403)
		return `the bot may not post there (${error.message}). Give it View Channel, Send Messages, Embed Links and Read Message History in that channel.`;
	if (error.status === 404) return `the channel was not found (${error.message}).`;
	return `Discord refused it (${error.status} ${error.message}).`;
}

function describeTemplate(template: { title: string; description: string }): string {
	return `title “${truncate(template.title, 256)}”${template.description === '' ? '' : `, description “${truncate(template.description, 1000)}”`}.`;
}

function eventOption<
	T extends {
		setName(name: string): T;
		setDescription(text: string): T;
		setRequired(required: boolean): T;
		addChoices(...choices: { name: string; value: string }[]): T;
	}
>(option: T): T {
	return option
		.setName('event')
		.setDescription('The event type')
		.setRequired(true)
		.addChoices(...TEMPLATE_TYPES.map((type) => ({ name: type, value: type })));
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

type SubscriptionTerms = Pick<Subscription, 'events' | 'categoryId' | 'roleId'>;

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
