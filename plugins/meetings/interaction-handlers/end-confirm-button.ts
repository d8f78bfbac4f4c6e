import { InteractionHandlerTypes, type InteractionHandler } from '@sapphire/framework';
import { MessageFlags, type Interaction } from 'discord.js';
import { escapeAndTruncate, PluginInteractionHandler } from '#sdk';
import { parseEndConfirmButtonId } from '../lib/custom-ids.js';
import { endMeeting } from '../lib/end-meeting.js';
import { findGuildMeeting } from '../lib/find-meetings.js';
import { meetingStatus } from '../lib/meeting.js';
import { canEndMeeting, END_REFUSED, fetchMember } from '../lib/meeting-permissions.js';
import { kalturaFailureReply, MEETING_ENDED, NO_SUCH_MEETING } from '../lib/meeting-replies.js';

/**
 * The "End meeting for everyone" confirmation. Whoever presses it is checked again: a button can be
 * pressed by someone other than who asked, and rights can change in between.
 */
export class MeetingEndConfirmButtonHandler extends PluginInteractionHandler<string> {
	public constructor(context: InteractionHandler.LoaderContext) {
		super(context, { interactionHandlerType: InteractionHandlerTypes.Button });
	}

	protected override parseInteraction(interaction: Interaction) {
		const meetingId = interaction.isButton() && interaction.inGuild() ? parseEndConfirmButtonId(interaction.customId) : undefined;
		return meetingId === undefined ? this.none() : this.some(meetingId);
	}

	protected override async handle(interaction: Interaction, meetingId: string) {
		if (!interaction.isButton() || !interaction.inGuild()) return;
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		try {
			const meeting = await findGuildMeeting(this.container.kaltura, interaction.guildId, meetingId);
			if (meeting === undefined) return void (await interaction.editReply(NO_SUCH_MEETING));
			const member = await fetchMember(interaction.guildId, interaction.user.id);
			if (member === null || !(await canEndMeeting(member, meeting))) return void (await interaction.editReply(END_REFUSED));
			if (meetingStatus(meeting) === 'ended') return void (await interaction.editReply(MEETING_ENDED));
			await endMeeting(meeting, { actorId: interaction.user.id, source: 'component' });
			await interaction.editReply(`**${escapeAndTruncate(meeting.title, 200)}** has ended for everyone.`);
		} catch (error) {
			await interaction.editReply(kalturaFailureReply('Ending the meeting', error));
		}
	}
}
