import kaltura, { type Client, type RequestBuilder } from 'kaltura-client';
import { KalturaError, propertyOf, toKalturaError } from './kaltura-error.js';

/** What one request of a batch came to: its result, or why Kaltura refused that request alone. */
export type BatchItemOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: KalturaError };

/**
 * Several requests sent as one Kaltura `multirequest` (POST /api_v3/service/multirequest). Kaltura runs
 * them one after another, each through KalturaDispatcher::dispatch with its own KS check, and answers an
 * array with one entry per request: its result, or a KalturaAPIException object in its place when that
 * request alone failed (kaltura/server api_v3/lib/KalturaFrontController.php handleMultiRequest catches
 * each request's exception and serialises it in the request's slot; the others still run).
 *
 * kaltura-client's own MultiRequestBuilder#execute leaves its promise pending and throws inside the HTTP
 * callback when the whole request fails (a timeout, an HTTP error, a top-level exception). This one
 * settles every time: it resolves with the raw array, or rejects with what kaltura-client reported
 * (an axios error or an API exception object), as a single request does.
 */
export function multiRequest(requests: readonly RequestBuilder[]): { execute(client: Client): Promise<unknown> } {
	const builder = new kaltura.MultiRequestBuilder();
	for (const request of requests) builder.add(request);
	return {
		execute: (client) =>
			new Promise((resolve, reject) => {
				// What RequestBuilder#execute does before sending: the client's KS, partner id and client tag.
				Object.assign(builder.requestData, client.requestData);
				// Rejected with what kaltura-client reported, as a single request is: toKalturaError reads it.
				builder.callback = (success, result) => (success ? resolve(result) : reject(result));
				builder.doHttpRequest(client);
			})
	};
}

/** A request's slot holding the exception Kaltura serialised for it (KalturaAPIException). */
function isKalturaApiException(value: unknown): boolean {
	return propertyOf(value, 'objectType') === 'KalturaAPIException';
}

/**
 * The outcomes of a batch from Kaltura's answer. Throws when the answer is not one entry per request,
 * and when every request failed for the same reason (a refused KS, the rate limit, a missing
 * permission): the batch as a whole failed then, nothing in it was done, and the caller's retry rules
 * for a single request apply to it unchanged.
 */
export function batchOutcomes(answer: unknown, expected: number): BatchItemOutcome<unknown>[] {
	if (!Array.isArray(answer) || answer.length !== expected)
		throw new KalturaError('BAD_RESPONSE', 'Kaltura gave an answer the bot did not understand.', false);
	const outcomes = answer.map((entry: unknown): BatchItemOutcome<unknown> =>
		isKalturaApiException(entry) ? { ok: false, error: toKalturaError(entry) } : { ok: true, value: entry }
	);
	const first = outcomes[0];
	if (first !== undefined && !first.ok && outcomes.every((outcome) => !outcome.ok && outcome.error.code === first.error.code)) throw first.error;
	return outcomes;
}
