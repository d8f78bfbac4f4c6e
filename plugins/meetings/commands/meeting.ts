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
import { autocompleteAllowed, truncate, UserFacingError, VersionedCommand } from '#sdk';
import { endConfirmButtonId } from '../lib/custom-ids.js';
import { DURATION_MAX_MINUTES, DURATION_MIN_MINUTES, STARTS_IN_MAX_MINUTES, TITLE_MAX } from '../lib/meeting-input.js';
import { LIST_PAGE_SIZE, meetingListPage } from '../lib/meeting-list-page.js';
import { suggestedMeetings } from '../lib/meeting-suggestions.js';
import { endQuestion, joinLinkReply } from '../lib/meeting-replies.js';
import { MEETING_TYPE_LABELS, MEETING_TYPES, type MeetingType } from '../lib/meeting-types.js';
import { startedReply } from '../lib/started-reply.js';
import { meetingToEnd } from '../lib/use-cases/end-meeting.js';
import { joinMeeting } from '../lib/use-cases/join-meeting.js';
import { listMeetings } from '../lib/use-cases/list-meetings.js';
import { startGuildMeeting } from '../lib/use-cases/start-meeting.js';

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
		switch (interaction.options.getSubcommand(true)) {
			case 'start':
				return this.start(interaction);
			case 'join':
				return this.join(interaction);
			case 'end':
				return this.confirmEnd(interaction);
			default:
				return void (await interaction.editReply(meetingListPage(await listMeetings(interaction.guildId, 1, LIST_PAGE_SIZE))));
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
		const meetings = await suggestedMeetings(interaction.guildId, startedAt);
		const choices = meetings
			.filter((meeting) => typed === '' || meeting.id.startsWith(typed) || meeting.title.toLowerCase().includes(typed))
			.map((meeting) => ({
				name: truncate(`${meeting.title} · ${MEETING_TYPE_LABELS[meeting.type]} · ${describeWhen(meeting.startsAt)}`, 100),
				value: meeting.id
			}));
		await interaction.respond(choices.slice(0, 25));
	}

	private async start(interaction: GuildCommand) {
		const startsIn = interaction.options.getInteger('starts-in');
		const started = await startGuildMeeting({
			guildId: interaction.guildId,
			hostId: interaction.user.id,
			channelId: interaction.channelId,
			source: 'command',
			meeting: {
				type: meetingTypeOf(interaction.options.getString('type', true)),
				title: interaction.options.getString('title', true),
				description: interaction.options.getString('description') ?? undefined,
				durationMinutes: interaction.options.getInteger('duration') ?? undefined,
				startsAt: startsIn === null ? undefined : Math.floor(Date.now() / 1000) + startsIn * 60
			}
		});
		await interaction.editReply(startedReply(started, started.hostLink));
	}

	private async join(interaction: GuildCommand) {
		// Left empty: the meeting starting soonest.
		const chosen = interaction.options.getString('meeting')?.trim() || undefined;
		const { meeting, link } = await joinMeeting(interaction.guildId, chosen, interaction.user.id);
		await interaction.editReply(joinLinkReply(meeting, link));
	}

	/** Ending is for everyone in the room, so it asks first; the button checks the member's rights again. */
	private async confirmEnd(interaction: GuildCommand) {
		const meeting = await meetingToEnd({
			guildId: interaction.guildId,
			meetingId: interaction.options.getString('meeting', true),
			actorId: interaction.user.id,
			source: 'command'
		});
		const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
			new ButtonBuilder().setCustomId(endConfirmButtonId(meeting.id)).setLabel('End meeting for everyone').setStyle(ButtonStyle.Danger)
		);
		await interaction.editReply({ content: endQuestion(meeting), components: [row] });
	}
}

/** Discord sends one of the choices the command declares; anything else is refused as the API would. */
function meetingTypeOf(value: string): MeetingType {
	const type = MEETING_TYPES.find((known) => known === value);
	if (type === undefined) throw new UserFacingError('invalid_meeting', `“${truncate(value, 40)}” is not a kind of session.`);
	return type;
}

/** Autocomplete names are plain text (no Discord timestamps), so the time is written out in UTC. */
function describeWhen(startsAt: number): string {
	const now = Date.now() / 1000;
	if (startsAt <= now) return 'live now';
	return `starts ${new Date(startsAt * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
