import type { UserError } from '@sapphire/framework';
import { replyPrivately, type Answerable } from './replies.js';

/**
 * Tells the member why a command did not run. Sapphire answers no denial by itself, which leaves the
 * member with "The application did not respond"; preconditions that want silence set `context.silent`.
 */
export async function answerDenial(error: UserError, interaction: Answerable): Promise<void> {
	if (Reflect.get(Object(error.context), 'silent') === true) return;
	await replyPrivately(interaction, error.message || 'You cannot use this command here.');
}

/** Tells the member a command failed, without internals; the error itself goes to the log. */
export async function answerFailure(interaction: Answerable): Promise<void> {
	await replyPrivately(interaction, 'Something went wrong while running this command. The error was logged; please try again later.');
}

/** Why a plugin's command or component does nothing here, and how to change that. */
export function pluginDisabledMessage(plugin: string): string {
	return `The **${plugin}** plugin is turned off in this server. Someone with the Manage Server permission can turn it on with \`/plugins enable plugin:${plugin}\`.`;
}
