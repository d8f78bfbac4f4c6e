import type { InteractionHandler } from '@sapphire/framework';
import { MessageFlags } from 'discord.js';
import { parseEndConfirmButtonId } from '../lib/custom-ids.js';
import { MeetingButtonHandler, type GuildButton } from '../lib/meeting-button.js';
import { endedReply } from '../lib/meeting-replies.js';
import { endGuildMeeting } from '../lib/use-cases/end-meeting.js';

/**
 * The "End meeting for everyone" confirmation. Whoever presses it is checked again: a button can be
 * pressed by someone other than who asked, and rights can change in between.
 */
export class MeetingEndConfirmButtonHandler extends MeetingButtonHandler<string> {
	public constructor(context: InteractionHandler.LoaderContext) {
		super(context, parseEndConfirmButtonId);
	}

	protected override async handleButton(interaction: GuildButton, meetingId: string) {
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const ended = await endGuildMeeting({ guildId: interaction.guildId, meetingId, actorId: interaction.user.id, source: 'component' });
		await interaction.editReply(endedReply(ended));
	}
}
