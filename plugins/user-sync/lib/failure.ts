import { container } from '@sapphire/framework';
import { KalturaError } from '#sdk';

export interface Failure {
	readonly code: string;
	/** A sentence fit for an admin: Kaltura's own wording never gets here (it can quote a KS). */
	readonly message: string;
}

/**
 * A failed step as data. Kaltura errors keep their code and plain sentence; anything else (storage, a
 * bug) is logged in full, and the outcome only says it happened.
 */
export function toFailure(error: unknown, what: string): Failure {
	if (error instanceof KalturaError) return { code: error.code, message: error.userMessage };
	container.logger.error(`User sync: ${what} failed unexpectedly:`, error);
	return { code: 'INTERNAL', message: 'An unexpected error; the details are in the bot’s log.' };
}
