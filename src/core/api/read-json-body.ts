import { container } from '@sapphire/framework';
import type { ApiRequest } from '@sapphire/plugin-api';
import { ApiError } from './api-error.js';
import { CountedLog } from './counted-log.js';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Uploads cut off or too large are the client's doing: one line a minute with a count, no stack trace. */
const LOG_INTERVAL_MS = 60_000;

export const abortedUploads = new CountedLog(LOG_INTERVAL_MS, (count, latest) =>
	container.logger?.warn(`API: ${count} request body upload(s) cut off by the client in the last minute (latest: ${latest}).`)
);

export const oversizedUploads = new CountedLog(LOG_INTERVAL_MS, (count, latest) =>
	container.logger?.warn(`API: ${count} request body(ies) over the size limit refused with 413 in the last minute (latest: ${latest}).`)
);

/** The request, as a log may name it: method, path without the query, and the peer's address. */
function describe(request: ApiRequest): string {
	return `${request.method ?? '?'} ${(request.url ?? '').split('?')[0]} from ${request.socket?.remoteAddress ?? 'an unknown address'}`;
}

/** Answered to nobody (the client is gone); an ApiError, so the route does not log it as a failure of its own. */
function clientClosed(request: ApiRequest): ApiError {
	abortedUploads.note(describe(request));
	return new ApiError(400, 'request_aborted', 'The client closed the connection before the body was complete.');
}

/**
 * Reads the raw request body, counting bytes as they arrive, so a chunked upload without a
 * Content-Length cannot get past the limit that the declared length is checked against.
 */
export async function readRawBody(request: ApiRequest, limit: number): Promise<Buffer> {
	const declared = Number(request.headers['content-length'] ?? Number.NaN);
	if (declared > limit) throw tooLarge(request, limit);
	// A client that went away before the route got here: its 'close' has fired already and would never reach a listener.
	if (request.destroyed || request.readableAborted) throw clientClosed(request);
	// Already read to the end (its 'end' is gone too): nothing left.
	if (request.readableEnded) return Buffer.alloc(0);
	// Listeners rather than `for await`: the async iterator costs more than the rest of reading a small body.
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const settle = (error: Error | undefined) => {
			request.off('data', onData).off('end', onEnd).off('error', onClose).off('close', onClose);
			// One chunk (the usual small body) is handed on as it is, without a copy.
			const [only] = chunks;
			if (error === undefined) resolve(chunks.length === 1 && only !== undefined ? only : Buffer.concat(chunks, size));
			else reject(error);
		};
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size <= limit) chunks.push(chunk);
			else {
				// Drained but not kept while the 413 is written; its `Connection: close` then ends the connection.
				request.off('data', onData).resume();
				settle(tooLarge(request, limit));
			}
		};
		const onEnd = () => settle(undefined);
		// Node reports a connection cut mid-body as an 'aborted' error (ECONNRESET), then 'close': the client's doing either way.
		const onClose = () => settle(clientClosed(request));
		request.on('data', onData).once('end', onEnd).once('error', onClose).once('close', onClose);
	});
}

/** Reads and parses a JSON body: 415 when it is not declared JSON, 413 over the limit, 400 when it does not parse. */
export async function readJsonBody(request: ApiRequest, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
	const type = request.headers['content-type'] ?? '';
	if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
		throw new ApiError(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
	}
	const raw = await readRawBody(request, limit);
	try {
		const parsed: unknown = JSON.parse(raw.toString('utf8'));
		return parsed;
	} catch {
		throw ApiError.badRequest('malformed_json', 'The request body is not valid JSON.');
	}
}

/**
 * 413 with `Connection: close`: Node's server ends the connection once the answer is written (and destroys the
 * socket), so a client cannot keep streaming bytes the bot has to read and throw away.
 */
export function bodyTooLarge(limit: number): ApiError {
	return new ApiError(413, 'payload_too_large', `The request body is larger than ${limit} bytes.`, undefined, { Connection: 'close' });
}

function tooLarge(request: ApiRequest, limit: number): ApiError {
	oversizedUploads.note(describe(request));
	return bodyTooLarge(limit);
}
