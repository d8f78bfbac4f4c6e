import { container } from '@sapphire/framework';
import { KalturaError } from '../kaltura/kaltura-error.js';
import { UserFacingError } from '../errors/user-facing-error.js';
import { answerFailure } from './command-denial.js';
import { replyPrivately, type Answerable } from './replies.js';

/**
 * The one place a command, context menu or component answers an error thrown while it ran. A
 * {@link UserFacingError} is the answer itself: its sentence, privately, in place of whatever the interaction
 * showed (a list page's embeds and buttons go, so a stale page cannot be pressed again). Anything else is a
 * bug: it goes to the log and the member gets a generic sentence, never its message.
 */
export async function answerError(interaction: Answerable, error: unknown, piece: string): Promise<void> {
	const { logger } = container;
	if (error instanceof UserFacingError) {
		// Kaltura's code tells the operator what failed; the member's sentence does not need to be logged.
		if (error.cause instanceof KalturaError) logger.warn(`${piece} could not be done: Kaltura ${error.cause.code}`);
		else logger.debug(`${piece} refused: ${error.code}`);
		await replyPrivately(interaction, { content: error.message, embeds: [], components: [] }).catch((replyError: unknown) =>
			logger.warn(`Could not answer ${piece}:`, replyError)
		);
		return;
	}
	logger.error(`${piece} failed:`, error);
	await answerFailure(interaction).catch((replyError: unknown) => logger.warn(`Could not report a failure of ${piece}:`, replyError));
}
