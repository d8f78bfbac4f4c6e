import { InteractionHandlerTypes, type InteractionHandler } from '@sapphire/framework';
import type { Interaction } from 'discord.js';
import { PluginInteractionHandler } from '#sdk';
import { parseWatchButtonId } from '../lib/custom-ids.js';
import { launchWatch } from '../lib/launch-watch.js';

/**
 * The Watch together button of a `/video search` result: does what `/watch` does for that entry, as the member who
 * pressed it (their own Kaltura session decides whether they may watch it), in the channel it was pressed in.
 */
export class WatchTogetherButtonHandler extends PluginInteractionHandler<string> {
	public constructor(context: InteractionHandler.LoaderContext) {
		super(context, { name: 'watch-together-launch-button', interactionHandlerType: InteractionHandlerTypes.Button });
	}

	protected override parseInteraction(interaction: Interaction) {
		const entryId = interaction.isButton() && interaction.inGuild() ? parseWatchButtonId(interaction.customId) : undefined;
		return entryId === undefined ? this.none() : this.some(entryId);
	}

	protected override async handle(interaction: Interaction, entryId: string): Promise<void> {
		if (interaction.isButton() && interaction.inGuild()) await launchWatch(interaction, entryId);
	}
}
