import { KalturaError, toKalturaError } from '#sdk';

export const MEETINGS_NOT_ENABLED = 'This Kaltura account does not have virtual meetings enabled.';

/**
 * Runs a call on Kaltura's schedule services. A partner without the meetings feature is refused on
 * those services as a whole (FEATURE_FORBIDDEN or SERVICE_FORBIDDEN); the generic sentence for those
 * ("not allowed to do that") would send an admin looking at the bot's rights instead of the account.
 */
export async function onScheduleServices<T>(call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (error) {
		const failure = toKalturaError(error);
		if (failure.code === 'FEATURE_FORBIDDEN' || failure.code === 'SERVICE_FORBIDDEN')
			throw new KalturaError(failure.code, MEETINGS_NOT_ENABLED, false);
		throw failure;
	}
}
