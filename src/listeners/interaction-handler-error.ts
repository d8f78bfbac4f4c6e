import { Events, Listener, type InteractionHandlerError } from '@sapphire/framework';
import { answerFailure } from '../core/discord/command-denial.js';

export class InteractionHandlerErrorListener extends Listener<typeof Events.InteractionHandlerError> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.InteractionHandlerError });
	}

	public override async run(error: unknown, { interaction, handler }: InteractionHandlerError) {
		this.container.logger.error(`Interaction handler ${handler.name} failed:`, error);
		if (interaction.isRepliable()) {
			await answerFailure(interaction).catch((replyError: unknown) =>
				this.container.logger.warn('Could not report a handler failure:', replyError)
			);
		}
	}
}
