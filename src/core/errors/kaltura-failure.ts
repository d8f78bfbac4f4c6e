import { KalturaError } from '../kaltura/kaltura-error.js';
import { LinkPolicyError } from '../policy/link-url.js';
import { UserFacingError } from './user-facing-error.js';

/** The action, as members read it in "<what> did not work: <why>", or the whole sentence made of the why. */
export type Action = string | ((why: string) => string);

/**
 * The one translation of failures members are meant to read (Kaltura is busy or refused, a link the operator's
 * policy forbids) into a {@link UserFacingError}; anything else is returned as it was, to be thrown on as a bug.
 * `what` names the action for members ("Starting the meeting"): they read "<what> did not work: <why>" (or the
 * sentence `what` makes of the why); the API reads only the why. Kaltura's own message never gets here:
 * {@link KalturaError.userMessage} is ours.
 */
export function userFacingFailure(error: unknown, what: Action): unknown {
	if (error instanceof UserFacingError) return error;
	const sentence = typeof what === 'string' ? (why: string) => `${what} did not work: ${why}` : what;
	if (error instanceof KalturaError)
		return new UserFacingError('kaltura_error', sentence(error.userMessage), {
			status: error.transient ? 503 : 502,
			apiMessage: error.userMessage,
			cause: error
		});
	// A link the operator's link policy refuses is never shown; the member is told which setting to fix.
	if (error instanceof LinkPolicyError)
		return new UserFacingError('link_not_allowed', sentence(error.message), { status: 409, apiMessage: error.message, cause: error });
	return error;
}

/** Runs `action`, its member-meant failures thrown as {@link UserFacingError} (see {@link userFacingFailure}). */
export async function withUserFacingFailures<T>(what: Action, action: () => Promise<T>): Promise<T> {
	try {
		return await action();
	} catch (error) {
		throw userFacingFailure(error, what);
	}
}
