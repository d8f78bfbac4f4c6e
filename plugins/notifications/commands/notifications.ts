import type { Command } from '@sapphire/framework';
import {
	MessageFlags,
	PermissionFlagsBits,
	type AutocompleteInteraction,
	type ChatInputCommandInteraction,
	type RESTPostAPIApplicationCommandsJSONBody
} from 'discord.js';
import { autocompleteAllowed, replyPrivately, UserFacingError, VersionedCommand } from '#sdk';
import { eventListCompletions, parseEventList, SUBSCRIBABLE_TYPES } from '../lib/event-choices.js';
import { mentionRoleProblem } from '../lib/mention-role.js';
import { notificationsCommandDefinition } from '../lib/notifications-command-definition.js';
import { deliveryStatusEmbed, describeTemplate, subscribedReply, subscriptionsEmbed, unsubscribedReply } from '../lib/notifications-replies.js';
import { deliveryStatusOf, subscribeChannel, subscriptionsOf, subscriptionTermsOf, unsubscribeChannel } from '../lib/use-cases/subscriptions.js';
import { postSample, resetTemplate, setTemplate, templateTypeOf } from '../lib/use-cases/templates.js';

export { SUBSCRIBABLE_TYPES, parseEventList, subscribedReply };
export { explainRefusal } from '../lib/use-cases/templates.js';

type GuildCommand = ChatInputCommandInteraction<'cached' | 'raw'>;

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
		return [notificationsCommandDefinition()];
	}

	public override async chatInputRun(interaction: GuildCommand) {
		if (interaction.options.getSubcommandGroup(false) === 'template') return this.#template(interaction);
		if (interaction.options.getSubcommand(true) === 'test') return this.#test(interaction);
		// MongoDB is a network away (and may be down): acknowledge first, so Discord's 3-second window cannot run out.
		if (this.container.env.MONGODB_URL !== undefined) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const { guildId } = interaction;
		const actor = { actorId: interaction.user.id, source: 'command' } as const;
		switch (interaction.options.getSubcommand(true)) {
			case 'status':
				return replyPrivately(interaction, { embeds: [deliveryStatusEmbed(await deliveryStatusOf(guildId))] });
			case 'subscribe': {
				const channel = interaction.options.getChannel('channel', true);
				const role = interaction.options.getRole('mention-role');
				const terms = subscriptionTermsOf(
					interaction.options.getString('events', true),
					interaction.options.getString('category'),
					role?.id ?? null
				);
				// Whether the bot can ping the role there is a question for Discord's cache of this interaction.
				const mentionProblem = role === null ? undefined : mentionRoleProblem(interaction, role, channel.id);
				if (mentionProblem !== undefined) throw new UserFacingError('invalid_mention_role', `Nothing was changed: ${mentionProblem}.`);
				const replaced = await subscribeChannel(guildId, channel.id, terms, actor);
				return replyPrivately(interaction, subscribedReply(channel.id, terms, replaced));
			}
			case 'unsubscribe': {
				const channel = interaction.options.getChannel('channel', true);
				return replyPrivately(interaction, unsubscribedReply(channel.id, await unsubscribeChannel(guildId, channel.id, actor)));
			}
			default:
				return replyPrivately(interaction, { embeds: [subscriptionsEmbed(await subscriptionsOf(guildId))] });
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

	async #template(interaction: GuildCommand) {
		const type = templateTypeOf(interaction.options.getString('event', true), 'Nothing was changed: ');
		const actor = { actorId: interaction.user.id, source: 'command' } as const;
		if (interaction.options.getSubcommand(true) === 'reset') {
			const template = await resetTemplate(interaction.guildId, type, actor);
			return replyPrivately(interaction, `Posts of \`${type}\` use the default template again: ${describeTemplate(template)}`);
		}
		const wanted = { title: interaction.options.getString('title', true), description: interaction.options.getString('description') };
		const template = await setTemplate(interaction.guildId, type, wanted, actor);
		return replyPrivately(interaction, `Posts of \`${type}\` now use: ${describeTemplate(template)}`);
	}

	async #test(interaction: GuildCommand) {
		const channel = interaction.options.getChannel('channel', true);
		const type = templateTypeOf(interaction.options.getString('event', true));
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		await postSample(interaction.guildId, channel.id, type);
		return replyPrivately(interaction, `A sample \`${type}\` post was sent to <#${channel.id}>.`);
	}
}
