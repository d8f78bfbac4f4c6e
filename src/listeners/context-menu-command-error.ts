import { Events, Listener, type ContextMenuCommandErrorPayload } from '@sapphire/framework';
import { answerFailure } from '../core/discord/command-denial.js';

export class ContextMenuCommandErrorListener extends Listener<typeof Events.ContextMenuCommandError> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.ContextMenuCommandError });
	}

	public override async run(error: unknown, { interaction, command }: ContextMenuCommandErrorPayload) {
		this.container.logger.error(`Command ${command.name} failed:`, error);
		await answerFailure(interaction).catch((replyError: unknown) =>
			this.container.logger.warn('Could not report a command failure:', replyError)
		);
	}
}
