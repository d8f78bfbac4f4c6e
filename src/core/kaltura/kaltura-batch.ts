import kaltura, { type Client, type RequestBuilder } from 'kaltura-client';
import { KalturaError, toKalturaError } from './kaltura-error.js';

/** What one request of a batch came to: its result, or why Kaltura refused that request alone. */
export type BatchItemOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: KalturaError };

/** The part of kaltura-client's MultiRequestBuilder used here (the package has no typings of its own). */
interface MultiRequestBuilderLike {
	callback: ((success: boolean, result: unknown) => void) | null;
	requestData: Record<string, unknown>;
	add(request: RequestBuilder): unknown;
	doHttpRequest(client: Client): void;
}

const { MultiRequestBuilder } = kaltura as unknown as { MultiRequestBuilder: new () => MultiRequestBuilderLike };

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
export function multiRequest(requests: readonly RequestBuilder[]): RequestBuilder {
	const builder = new MultiRequestBuilder();
	for (const request of requests) builder.add(request);
	const execute = (client: Client): Promise<unknown> =>
		new Promise((resolve, reject) => {
			// What RequestBuilder#execute does before sending: the client's KS, partner id and client tag.
			Object.assign(builder.requestData, (client as unknown as { requestData: Record<string, unknown> }).requestData);
			builder.callback = (success, result) => (success ? resolve(result) : reject(result as Error));
			builder.doHttpRequest(client);
		});
	return Object.assign(builder, { execute }) as unknown as RequestBuilder;
}

function isApiException(value: unknown): boolean {
	return typeof value === 'object' && value !== null && (value as { objectType?: unknown }).objectType === 'KalturaAPIException';
}

/**
 * The outcomes of a batch from Kaltura's answer. Throws when the answer is not one entry per request,
 * and when every request failed for the same reason (a refused KS, the rate limit, a missing
 * permission): the batch as a whole failed then, nothing in it was done, and the caller's retry rules
 * for a single request apply to it unchanged.
 */
export function batchOutcomes<T>(answer: unknown, expected: number): BatchItemOutcome<T>[] {
	if (!Array.isArray(answer) || answer.length !== expected)
		throw new KalturaError('BAD_RESPONSE', 'Kaltura gave an answer the bot did not understand.', false);
	const outcomes = answer.map((entry): BatchItemOutcome<T> =>
		isApiException(entry) ? { ok: false, error: toKalturaError(entry) } : { ok: true, value: entry as T }
	);
	const first = outcomes[0];
	if (first !== undefined && !first.ok && outcomes.every((outcome) => !outcome.ok && outcome.error.code === first.error.code)) throw first.error;
	return outcomes;
}
