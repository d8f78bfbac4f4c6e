import { InteractionHandlerTypes, type InteractionHandler } from '@sapphire/framework';
import type { ButtonInteraction, Interaction } from 'discord.js';
import { PluginInteractionHandler } from '#sdk';

/** A button of the plugin, pressed in a server. */
export type GuildButton = ButtonInteraction<'cached' | 'raw'>;

/**
 * A button of the meetings plugin: claims the presses in a server whose custom id `parseId` reads (see
 * custom-ids.ts) and hands the button and what its id says to {@link handleButton}.
 */
export abstract class MeetingButtonHandler<T> extends PluginInteractionHandler<T> {
	readonly #parseId: (customId: string) => T | undefined;

	protected constructor(context: InteractionHandler.LoaderContext, parseId: (customId: string) => T | undefined) {
		super(context, { interactionHandlerType: InteractionHandlerTypes.Button });
		this.#parseId = parseId;
	}

	protected override parseInteraction(interaction: Interaction) {
		const data = interaction.isButton() && interaction.inGuild() ? this.#parseId(interaction.customId) : undefined;
		return data === undefined ? this.none() : this.some(data);
	}

	protected override async handle(interaction: Interaction, data: T): Promise<void> {
		if (interaction.isButton() && interaction.inGuild()) await this.handleButton(interaction, data);
	}

	protected abstract handleButton(interaction: GuildButton, data: T): Promise<void>;
}
