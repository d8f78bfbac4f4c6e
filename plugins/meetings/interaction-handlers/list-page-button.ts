import type { InteractionHandler } from '@sapphire/framework';
import { parseListPageButtonId } from '../lib/custom-ids.js';
import { MeetingButtonHandler, type GuildButton } from '../lib/meeting-button.js';
import { LIST_PAGE_SIZE, meetingListPage } from '../lib/meeting-list-page.js';
import { listMeetings } from '../lib/use-cases/list-meetings.js';

/** Previous/Next under `/meeting list`: replaces the (private) list with the page asked for. */
export class MeetingListPageButtonHandler extends MeetingButtonHandler<number> {
	public constructor(context: InteractionHandler.LoaderContext) {
		super(context, parseListPageButtonId);
	}

	protected override async handleButton(interaction: GuildButton, page: number) {
		// Acknowledge at once (Kaltura may be slow), then put the new page in place of the old one.
		await interaction.deferUpdate();
		await interaction.editReply(meetingListPage(await listMeetings(interaction.guildId, page, LIST_PAGE_SIZE)));
	}
}
