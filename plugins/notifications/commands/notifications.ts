import type { Command } from '@sapphire/framework';
import { ChannelType, EmbedBuilder, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { VersionedCommand } from '../../../src/core/commands/versioned-command.js';
import { replyPrivately, truncate } from '../../../src/core/discord/replies.js';
import { NOTIFICATION_TYPES } from '../lib/normalise.js';
import { ALL_EVENTS } from '../lib/outbox.js';
import { sharedStore } from '../lib/shared-store.js';
import { eventStoreFile } from '../lib/store-file.js';

/** The types a channel can subscribe to (`unknown` events are stored, never posted). */
export const SUBSCRIBABLE_TYPES = NOTIFICATION_TYPES.filter((type) => type !== 'unknown');

/** `all`, or a comma list of types; null when a name is not a type. */
export function parseEventList(input: string): { events: string[] } | { unknown: string[] } {
	const names = input.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
	if (names.length === 0 || names.includes('all')) return { events: [ALL_EVENTS] };
	const unknown = names.filter((name) => !(SUBSCRIBABLE_TYPES as readonly string[]).includes(name));
	return unknown.length > 0 ? { unknown } : { events: [...new Set(names)] };
}

const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

export class NotificationsCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, {
			version: '1.0.0',
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
						.addChannelOption((option) => option.setName('channel').setDescription('Where to post').setRequired(true).addChannelTypes(...TEXT_CHANNELS))
						.addStringOption((option) =>
							option.setName('events').setDescription('"all", or a comma list such as entry.ready,live_stream.started').setRequired(true).setMaxLength(300)
						)
						.addStringOption((option) => option.setName('category').setDescription('Only events of entries in this Kaltura category id').setMaxLength(20))
						.addRoleOption((option) => option.setName('mention-role').setDescription('A role to mention in each post'))
				)
				.addSubcommand((sub) =>
					sub
						.setName('unsubscribe')
						.setDescription('Stop posting Kaltura events in a channel')
						.addChannelOption((option) => option.setName('channel').setDescription('The channel').setRequired(true).addChannelTypes(...TEXT_CHANNELS))
				)
				.addSubcommand((sub) => sub.setName('list').setDescription('Show this server’s subscriptions'))
				.toJSON()
		];
	}

	public override chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const guildId = interaction.guildId;
		const tables = sharedStore(eventStoreFile(this.container.env.DATA_DIR)).outbox;
		switch (interaction.options.getSubcommand(true)) {
			case 'subscribe': {
				const channel = interaction.options.getChannel('channel', true);
				const parsed = parseEventList(interaction.options.getString('events', true));
				if ('unknown' in parsed) {
					return replyPrivately(interaction, `Nothing was changed: ${parsed.unknown.map((name) => `“${truncate(name, 40)}”`).join(', ')} ${parsed.unknown.length === 1 ? 'is' : 'are'} not an event type. Use \`all\` or some of: ${SUBSCRIBABLE_TYPES.map((type) => `\`${type}\``).join(', ')}.`);
				}
				const category = interaction.options.getString('category')?.trim() || null;
				if (category !== null && !/^\d{1,20}$/.test(category)) return replyPrivately(interaction, 'Nothing was changed: the category must be a Kaltura category id (digits).');
				const role = interaction.options.getRole('mention-role');
				tables.subscribe({ guildId, channelId: channel.id, events: parsed.events, categoryId: category, roleId: role?.id ?? null });
				return replyPrivately(
					interaction,
					`<#${channel.id}> now gets ${describeEvents(parsed.events)}${category === null ? '' : ` in category ${category}`}${role ? `, mentioning <@&${role.id}>` : ''}.`
				);
			}
			case 'unsubscribe': {
				const channel = interaction.options.getChannel('channel', true);
				return replyPrivately(interaction, tables.unsubscribe(guildId, channel.id) ? `<#${channel.id}> no longer gets Kaltura events.` : `<#${channel.id}> has no subscription.`);
			}
			default: {
				const subscriptions = tables.subscriptionsOf(guildId);
				const lines = subscriptions.map(
					(subscription) =>
						`<#${subscription.channelId}>: ${describeEvents(subscription.events)}${subscription.categoryId === null ? '' : ` in category ${subscription.categoryId}`}` +
						`${subscription.roleId === null ? '' : `, mentioning <@&${subscription.roleId}>`}${subscription.enabled ? '' : ` — **disabled** (${truncate(subscription.disabledReason ?? 'unknown reason', 200)}); subscribe again to restart it`}`
				);
				const embed = new EmbedBuilder()
					.setTitle('Kaltura notifications')
					.setColor(0x00_6e_ff)
					.setDescription(truncate(lines.length > 0 ? lines.join('\n') : 'No channel is subscribed. Subscribe one with `/notifications subscribe`.', 4000));
				return replyPrivately(interaction, { embeds: [embed] });
			}
		}
	}
}

function describeEvents(events: readonly string[]): string {
	return events.includes(ALL_EVENTS) ? 'every Kaltura event' : events.map((type) => `\`${type}\``).join(', ');
}
