import type { InteractionHandler } from '@sapphire/framework';
import { MessageFlags } from 'discord.js';
import { parseJoinButtonId } from '../lib/custom-ids.js';
import { MeetingButtonHandler, type GuildButton } from '../lib/meeting-button.js';
import { joinLinkReply } from '../lib/meeting-replies.js';
import { joinMeeting } from '../lib/use-cases/join-meeting.js';

/** The announcement's Join (Watch) button: a link of the member's own, with their own role, answered privately; a live stream's watch link. */
export class MeetingJoinButtonHandler extends MeetingButtonHandler<string> {
	public constructor(context: InteractionHandler.LoaderContext) {
		super(context, parseJoinButtonId);
	}

	protected override async handleButton(interaction: GuildButton, meetingId: string) {
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const { meeting, link } = await joinMeeting(interaction.guildId, meetingId, interaction.user.id);
		await interaction.editReply(joinLinkReply(meeting, link));
	}
}
