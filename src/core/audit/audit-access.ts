import { container } from '@sapphire/framework';
import { UserFacingError } from '../errors/user-facing-error.js';

const UNAVAILABLE = 'The audit log cannot be reached right now, so nothing was read or changed. Try again in a minute.';
const UNAVAILABLE_API = 'The audit log cannot be read right now; try again shortly.';

/**
 * Runs `call` on the audit log's store. When the store fails (MongoDB down, a locked file), its error goes to the
 * operator's log (it may name hosts or files) and the user is told plainly that nothing was read or changed.
 * `during` says where, for the log.
 */
export async function onAuditLog<T>(during: string, call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (error) {
		container.logger.warn(`The audit log failed during ${during}: ${error instanceof Error ? error.message : String(error)}`);
		throw new UserFacingError('storage_unavailable', UNAVAILABLE, { status: 503, apiMessage: UNAVAILABLE_API, cause: error });
	}
}
