import type { Command } from '@sapphire/framework';
import {
	ActionRowBuilder,
	ButtonBuilder,
	ButtonStyle,
	MessageFlags,
	SlashCommandBuilder,
	type AutocompleteInteraction,
	type ChatInputCommandInteraction,
	type RESTPostAPIApplicationCommandsJSONBody
} from 'discord.js';
import { autocompleteAllowed, escapeAndTruncate, KalturaError, truncate, VersionedCommand } from '#sdk';
import { endConfirmButtonId } from '../lib/custom-ids.js';
import { findGuildMeeting, listGuildMeetings } from '../lib/find-meetings.js';
import { meetingLinkFor } from '../lib/join-link.js';
import { meetingStatus, type Meeting } from '../lib/meeting.js';
import { DURATION_MAX_MINUTES, DURATION_MIN_MINUTES, planMeeting, STARTS_IN_MAX_MINUTES, TITLE_MAX } from '../lib/meeting-input.js';
import { meetingListPage } from '../lib/meeting-list-page.js';
import { meetingSuggestions } from '../lib/meeting-suggestions.js';
import { canEndMeeting, canStartMeetings, END_REFUSED, fetchMember, START_REFUSED } from '../lib/meeting-permissions.js';
import { joinLinkReply, kalturaFailureReply, MEETING_ENDED, NO_SUCH_MEETING } from '../lib/meeting-replies.js';
import { MEETING_TYPE_LABELS, MEETING_TYPES, type MeetingType } from '../lib/meeting-types.js';
import { liveCategoryOf, meetingsConfig } from '../lib/meetings-config.js';
import { hostLinkOf, startedReply } from '../lib/started-reply.js';
import { startMeeting } from '../lib/start-meeting.js';

type GuildCommand = ChatInputCommandInteraction<'cached' | 'raw'>;

export class MeetingCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, { version: '1.1.0', description: 'Kaltura meetings, classrooms, webinars and live streams', runIn: ['GUILD_ANY'] });
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			new SlashCommandBuilder()
				.setName('meeting')
				.setDescription('Kaltura meetings, classrooms, webinars and live streams')
				.setContexts(0)
				.addSubcommand((sub) =>
					sub
						.setName('start')
						.setDescription('Start a Kaltura meeting and announce it in this channel')
						.addStringOption((option) =>
							option
								.setName('type')
								.setDescription('What kind of session')
								.setRequired(true)
								.addChoices(...MEETING_TYPES.map((type) => ({ name: MEETING_TYPE_LABELS[type], value: type })))
						)
						.addStringOption((option) =>
							option.setName('title').setDescription('What it is about').setRequired(true).setMinLength(1).setMaxLength(TITLE_MAX)
						)
						.addStringOption((option) => option.setName('description').setDescription('More about it').setMaxLength(1000))
						.addIntegerOption((option) =>
							option
								.setName('duration')
								.setDescription('How long, in minutes (default: the server’s setting)')
								.setMinValue(DURATION_MIN_MINUTES)
								.setMaxValue(DURATION_MAX_MINUTES)
						)
						.addIntegerOption((option) =>
							option
								.setName('starts-in')
								.setDescription('Minutes from now (default: now)')
								.setMinValue(0)
								.setMaxValue(STARTS_IN_MAX_MINUTES)
						)
				)
				.addSubcommand((sub) =>
					sub
						.setName('join')
						.setDescription('Get your own link to a meeting')
						.addStringOption((option) =>
							option
								.setName('meeting')
								.setDescription('Which meeting (default: the one starting soonest)')
								.setAutocomplete(true)
								.setMaxLength(20)
						)
				)
				.addSubcommand((sub) => sub.setName('list').setDescription('Active and upcoming meetings in this server'))
				.addSubcommand((sub) =>
					sub
						.setName('end')
						.setDescription('End a meeting for everyone')
						.addStringOption((option) =>
							option.setName('meeting').setDescription('Which meeting').setRequired(true).setAutocomplete(true).setMaxLength(20)
						)
				)
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: GuildCommand) {
		// Kaltura may take longer than Discord's 3-second window; acknowledge first, answer when it replies.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const subcommand = interaction.options.getSubcommand(true);
		try {
			switch (subcommand) {
				case 'start':
					return await this.start(interaction);
				case 'join':
					return await this.join(interaction);
				case 'end':
					return await this.confirmEnd(interaction);
				default:
					return void (await interaction.editReply(await meetingListPage(this.container.kaltura, interaction.guildId, 1)));
			}
		} catch (error) {
			const what = { start: 'Starting the meeting', join: 'Getting your link', end: 'Ending the meeting' }[subcommand] ?? 'Listing meetings';
			if (error instanceof KalturaError)
				this.container.logger.warn(`/meeting ${subcommand} failed in guild ${interaction.guildId}: ${error.code}`);
			await interaction.editReply({ content: kalturaFailureReply(what, error), embeds: [], components: [] });
		}
	}

	public override async autocompleteRun(interaction: AutocompleteInteraction) {
		const startedAt = Date.now();
		// Every keystroke would otherwise list the server's meetings on Kaltura, wherever the bot is.
		if (interaction.guildId === null || !(await autocompleteAllowed(interaction, this))) return interaction.respond([]);
		const typed = interaction.options.getFocused().trim().toLowerCase();
		// Discord waits 3 s for the answer and Kaltura may take longer: the server's meetings come from a short-lived
		// cache, refreshed in the background, and with nothing in time the answer is an honest empty list (what is
		// typed can still be sent). A placeholder choice would need a value, which Discord would send as the meeting.
		const suggestions = meetingSuggestions();
		let meetings: readonly Meeting[];
		try {
			meetings = (await suggestions.get(interaction.guildId, startedAt))?.value ?? [];
		} catch (error) {
			if (!(error instanceof KalturaError)) throw error;
			meetings = [];
		}
		const choices = meetings
			.filter((meeting) => typed === '' || meeting.id.startsWith(typed) || meeting.title.toLowerCase().includes(typed))
			.map((meeting) => ({
				name: truncate(`${meeting.title} · ${MEETING_TYPE_LABELS[meeting.type]} · ${describeWhen(meeting.startsAt)}`, 100),
				value: meeting.id
			}));
		await interaction.respond(choices.slice(0, 25));
	}

	private async start(interaction: GuildCommand) {
		const settings = meetingsConfig(await this.container.guildConfig.resolve(interaction.guildId));
		const host = await fetchMember(interaction.guildId, interaction.user.id);
		if (host === null || !(await canStartMeetings(host, settings))) return void (await interaction.editReply(START_REFUSED));
		const startsIn = interaction.options.getInteger('starts-in');
		const planned = planMeeting(
			{
				type: interaction.options.getString('type', true) as MeetingType,
				title: interaction.options.getString('title', true),
				description: interaction.options.getString('description') ?? undefined,
				durationMinutes: interaction.options.getInteger('duration') ?? undefined,
				startsAt: startsIn === null ? undefined : Math.floor(Date.now() / 1000) + startsIn * 60
			},
			settings.defaultDurationMinutes
		);
		if (!planned.ok) return void (await interaction.editReply(planned.reason));
		const started = await startMeeting(planned.plan, host, interaction.channelId, {
			source: 'command',
			liveCategoryId: liveCategoryOf(interaction.guildId, settings)
		});
		const link = await hostLinkOf(() => meetingLinkFor(this.container, host, started.meeting, settings));
		await interaction.editReply(startedReply(started, link));
	}

	private async join(interaction: GuildCommand) {
		const member = await fetchMember(interaction.guildId, interaction.user.id);
		if (member === null) return void (await interaction.editReply('Only members of this server can join its meetings.'));
		const chosen = interaction.options.getString('meeting')?.trim();
		const meeting =
			chosen === undefined || chosen === ''
				? (await listGuildMeetings(this.container.kaltura, interaction.guildId, { size: 1, index: 1 })).meetings[0]
				: await findGuildMeeting(this.container.kaltura, interaction.guildId, chosen);
		if (meeting === undefined)
			return void (await interaction.editReply(chosen ? NO_SUCH_MEETING : 'No meeting is active or upcoming in this server.'));
		if (meetingStatus(meeting) === 'ended') return void (await interaction.editReply(MEETING_ENDED));
		const settings = meetingsConfig(await this.container.guildConfig.resolve(interaction.guildId));
		await interaction.editReply(joinLinkReply(meeting, await meetingLinkFor(this.container, member, meeting, settings)));
	}

	/** Ending is for everyone in the room, so it asks first; the button checks the member's rights again. */
	private async confirmEnd(interaction: GuildCommand) {
		const meeting = await findGuildMeeting(this.container.kaltura, interaction.guildId, interaction.options.getString('meeting', true).trim());
		if (meeting === undefined) return void (await interaction.editReply(NO_SUCH_MEETING));
		if (meetingStatus(meeting) === 'ended') return void (await interaction.editReply(MEETING_ENDED));
		const member = await fetchMember(interaction.guildId, interaction.user.id);
		if (member === null || !(await canEndMeeting(member, meeting))) return void (await interaction.editReply(END_REFUSED));
		const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
			new ButtonBuilder().setCustomId(endConfirmButtonId(meeting.id)).setLabel('End meeting for everyone').setStyle(ButtonStyle.Danger)
		);
		await interaction.editReply({
			content: `End **${escapeAndTruncate(meeting.title, 200)}** for everyone? Its Join button goes away.`,
			components: [row]
		});
	}
}

/** Autocomplete names are plain text (no Discord timestamps), so the time is written out in UTC. */
function describeWhen(startsAt: number): string {
	const now = Date.now() / 1000;
	if (startsAt <= now) return 'live now';
	return `starts ${new Date(startsAt * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
