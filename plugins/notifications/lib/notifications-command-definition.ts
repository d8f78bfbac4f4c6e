import { ChannelType, PermissionFlagsBits, SlashCommandBuilder, type SlashCommandChannelOption } from 'discord.js';
import { TEMPLATE_TYPES } from './templates.js';

const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

/** The channel a subcommand acts on: one the bot can post Kaltura events in. */
const textChannelOption = (option: SlashCommandChannelOption, description: string) =>
	option
		.setName('channel')
		.setDescription(description)
		.setRequired(true)
		.addChannelTypes(...TEXT_CHANNELS);

/** `/notifications`, as Discord is told of it: subscriptions, templates, a test post and the delivery status. */
export function notificationsCommandDefinition() {
	return new SlashCommandBuilder()
		.setName('notifications')
		.setDescription('Choose which Kaltura events are posted in which channel')
		.setContexts(0)
		.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
		.addSubcommand((sub) =>
			sub
				.setName('subscribe')
				.setDescription('Post Kaltura events in a channel (replaces its earlier subscription)')
				.addChannelOption((option) => textChannelOption(option, 'Where to post'))
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
				.addChannelOption((option) => textChannelOption(option, 'The channel'))
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
				.addChannelOption((option) => textChannelOption(option, 'Where to post'))
				.addStringOption((option) => eventOption(option))
		)
		.addSubcommand((sub) => sub.setName('status').setDescription('Recent deliveries and failures of this server'))
		.toJSON();
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
