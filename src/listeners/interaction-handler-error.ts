import { Events, Listener, type InteractionHandlerError } from '@sapphire/framework';
import { answerError } from '../core/discord/answer-error.js';

export class InteractionHandlerErrorListener extends Listener<typeof Events.InteractionHandlerError> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.InteractionHandlerError });
	}

	public override async run(error: unknown, { interaction, handler }: InteractionHandlerError) {
		if (interaction.isRepliable()) await answerError(interaction, error, `Interaction handler ${handler.name}`);
		else this.container.logger.error(`Interaction handler ${handler.name} failed:`, error);
	}
}
