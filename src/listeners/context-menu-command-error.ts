import { Events, Listener, type ContextMenuCommandErrorPayload } from '@sapphire/framework';
import { answerError } from '../core/discord/answer-error.js';

export class ContextMenuCommandErrorListener extends Listener<typeof Events.ContextMenuCommandError> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.ContextMenuCommandError });
	}

	public override async run(error: unknown, { interaction, command }: ContextMenuCommandErrorPayload) {
		await answerError(interaction, error, `Command ${command.name}`);
	}
}
