import { ApiError } from '../../../src/core/api/api-error.js';
import { KalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import { LinkPolicyError } from '../../../src/core/policy/link-url.js';

/** A Kaltura failure as the API's error envelope: 502 (503 when trying later may help), with the safe sentence. */
export function kalturaApiError(error: unknown): unknown {
	if (error instanceof LinkPolicyError) return new ApiError(409, 'link_not_allowed', error.message);
	if (!(error instanceof KalturaError)) return error;
	return new ApiError(error.transient ? 503 : 502, 'kaltura_error', error.userMessage);
}
