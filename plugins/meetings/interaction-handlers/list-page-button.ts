import { InteractionHandlerTypes, type InteractionHandler } from '@sapphire/framework';
import type { Interaction } from 'discord.js';
import { PluginInteractionHandler } from '#sdk';
import { parseListPageButtonId } from '../lib/custom-ids.js';
import { meetingListPage } from '../lib/meeting-list-page.js';
import { kalturaFailureReply } from '../lib/meeting-replies.js';

/** Previous/Next under `/meeting list`: replaces the (private) list with the page asked for. */
export class MeetingListPageButtonHandler extends PluginInteractionHandler<number> {
	public constructor(context: InteractionHandler.LoaderContext) {
		super(context, { interactionHandlerType: InteractionHandlerTypes.Button });
	}

	protected override parseInteraction(interaction: Interaction) {
		const page = interaction.isButton() && interaction.inGuild() ? parseListPageButtonId(interaction.customId) : undefined;
		return page === undefined ? this.none() : this.some(page);
	}

	protected override async handle(interaction: Interaction, page: number) {
		if (!interaction.isButton() || !interaction.inGuild()) return;
		// Acknowledge at once (Kaltura may be slow), then put the new page in place of the old one.
		await interaction.deferUpdate();
		try {
			await interaction.editReply(await meetingListPage(this.container.kaltura, interaction.guildId, page));
		} catch (error) {
			await interaction.editReply({ content: kalturaFailureReply('Listing meetings', error), embeds: [], components: [] });
		}
	}
}
