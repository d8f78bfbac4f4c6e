import { ApiError, KalturaError, LinkPolicyError } from '#sdk';
import { MeetingGoneError } from './find-meetings.js';

/** The API's answer for a meeting this guild does not have, whether never made, deleted on Kaltura, or another guild's. */
export const meetingNotFound = () => ApiError.notFound('This guild has no meeting with that id (it may have been deleted on Kaltura).');

/** A Kaltura failure as the API's error envelope: 502 (503 when trying later may help), with the safe sentence. */
export function kalturaApiError(error: unknown): unknown {
	if (error instanceof LinkPolicyError) return new ApiError(409, 'link_not_allowed', error.message);
	// Deleted on Kaltura between being found and being ended: gone, as if it had never been found.
	if (error instanceof MeetingGoneError) return meetingNotFound();
	if (!(error instanceof KalturaError)) return error;
	return new ApiError(error.transient ? 503 : 502, 'kaltura_error', error.userMessage);
}
