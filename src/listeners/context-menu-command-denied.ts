import { Events, Listener, type ContextMenuCommandDeniedPayload, type UserError } from '@sapphire/framework';
import { answerDenial } from '../core/discord/command-denial.js';

export class ContextMenuCommandDeniedListener extends Listener<typeof Events.ContextMenuCommandDenied> {
	public constructor(context: Listener.LoaderContext) {
		super(context, { event: Events.ContextMenuCommandDenied });
	}

	public override async run(error: UserError, { interaction }: ContextMenuCommandDeniedPayload) {
		await answerDenial(error, interaction);
	}
}
