import { InteractionHandlerTypes, type InteractionHandler } from '@sapphire/framework';
import type { Interaction } from 'discord.js';
import { PluginInteractionHandler } from '#sdk';
import { parseShareButtonId } from '../lib/custom-ids.js';
import { shareInChannel } from '../lib/post-share.js';

/**
 * A search result's Share button: posts the video in the channel as the member who pressed it. Whoever presses,
 * and whatever custom id they send, the entry is read with the presser's own Kaltura session: the searcher's
 * rights, or the id on the button, decide nothing.
 */
export class VideosShareButtonHandler extends PluginInteractionHandler<string> {
	public constructor(context: InteractionHandler.LoaderContext) {
		super(context, { name: 'videos-share-button', interactionHandlerType: InteractionHandlerTypes.Button });
	}

	protected override parseInteraction(interaction: Interaction) {
		const entryId = interaction.isButton() && interaction.inGuild() ? parseShareButtonId(interaction.customId) : undefined;
		return entryId === undefined ? this.none() : this.some(entryId);
	}

	protected override async handle(interaction: Interaction, entryId: string): Promise<void> {
		if (interaction.isButton() && interaction.inGuild()) await shareInChannel(interaction, entryId);
	}
}
