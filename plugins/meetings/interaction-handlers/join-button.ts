import { InteractionHandlerTypes, type InteractionHandler } from '@sapphire/framework';
import { MessageFlags, type Interaction } from 'discord.js';
import { PluginInteractionHandler } from '#sdk';
import { parseJoinButtonId } from '../lib/custom-ids.js';
import { findGuildMeeting } from '../lib/find-meetings.js';
import { meetingLinkFor } from '../lib/join-link.js';
import { meetingStatus } from '../lib/meeting.js';
import { fetchMember } from '../lib/meeting-permissions.js';
import { joinLinkReply, kalturaFailureReply, MEETING_ENDED, NO_SUCH_MEETING } from '../lib/meeting-replies.js';
import { meetingsConfig } from '../lib/meetings-config.js';

/** The announcement's Join (Watch) button: a link of the member's own, with their own role, answered privately; a live stream's watch link. */
export class MeetingJoinButtonHandler extends PluginInteractionHandler<string> {
	public constructor(context: InteractionHandler.LoaderContext) {
		super(context, { interactionHandlerType: InteractionHandlerTypes.Button });
	}

	protected override parseInteraction(interaction: Interaction) {
		const meetingId = interaction.isButton() && interaction.inGuild() ? parseJoinButtonId(interaction.customId) : undefined;
		return meetingId === undefined ? this.none() : this.some(meetingId);
	}

	protected override async handle(interaction: Interaction, meetingId: string) {
		if (!interaction.isButton() || !interaction.inGuild()) return;
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		try {
			const meeting = await findGuildMeeting(this.container.kaltura, interaction.guildId, meetingId);
			if (meeting === undefined) return void (await interaction.editReply(NO_SUCH_MEETING));
			if (meetingStatus(meeting) === 'ended') return void (await interaction.editReply(MEETING_ENDED));
			const member = await fetchMember(interaction.guildId, interaction.user.id);
			if (member === null) return void (await interaction.editReply('Only members of this server can join its meetings.'));
			const settings = meetingsConfig(await this.container.guildConfig.resolve(interaction.guildId));
			await interaction.editReply(joinLinkReply(meeting, await meetingLinkFor(this.container, member, meeting, settings)));
		} catch (error) {
			await interaction.editReply(kalturaFailureReply('Getting your link', error));
		}
	}
}
