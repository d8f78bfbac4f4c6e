import { Events, Listener, type ChatInputCommandErrorPayload } from '@sapphire/framework';
import { answerFailure } from '../core/discord/command-denial.js';

export class ChatInputCommandErrorListener extends Listener<typeof Events.ChatInputCommandError> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.ChatInputCommandError });
	}

	public override async run(error: unknown, { interaction, command }: ChatInputCommandErrorPayload) {
		this.container.logger.error(`Command ${command.name} failed:`, error);
		await answerFailure(interaction).catch((replyError: unknown) =>
			this.container.logger.warn('Could not report a command failure:', replyError)
		);
	}
}
