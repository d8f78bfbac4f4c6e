import { Events, Listener, type ChatInputCommandErrorPayload } from '@sapphire/framework';
import { answerError } from '../core/discord/answer-error.js';

export class ChatInputCommandErrorListener extends Listener<typeof Events.ChatInputCommandError> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.ChatInputCommandError });
	}

	public override async run(error: unknown, { interaction, command }: ChatInputCommandErrorPayload) {
		await answerError(interaction, error, `Command ${command.name}`);
	}
}
