import { Events, Listener, type ChatInputCommandDeniedPayload, type UserError } from '@sapphire/framework';
import { answerDenial } from '../core/discord/command-denial.js';

export class ChatInputCommandDeniedListener extends Listener<typeof Events.ChatInputCommandDenied> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.ChatInputCommandDenied });
	}

	public override async run(error: UserError, { interaction }: ChatInputCommandDeniedPayload) {
		await answerDenial(error, interaction);
	}
}
