import type { ApiRequest } from '@sapphire/plugin-api';
import { ApiError } from './api-error.js';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Reads the raw request body, counting bytes as they arrive, so a chunked upload without a
 * Content-Length cannot get past the limit that the declared length is checked against.
 */
export async function readRawBody(request: ApiRequest, limit: number): Promise<Buffer> {
	const declared = Number(request.headers['content-length'] ?? Number.NaN);
	if (declared > limit) throw bodyTooLarge(limit);
	// A client that went away before the route got here: its 'close' has fired already and would never reach a listener.
	if (request.destroyed || request.readableAborted) throw new Error('The client closed the connection before the body was read.');
	// Already read to the end (its 'end' is gone too): nothing left.
	if (request.readableEnded) return Buffer.alloc(0);
	// Listeners rather than `for await`: the async iterator costs more than the rest of reading a small body.
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const settle = (error: Error | undefined) => {
			request.off('data', onData).off('end', onEnd).off('error', settle).off('close', onClose);
			if (error === undefined) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
			else reject(error);
		};
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size <= limit) chunks.push(chunk);
			else {
				// Drained but not kept, so the 413 can still be written on this connection.
				request.off('data', onData).resume();
				settle(bodyTooLarge(limit));
			}
		};
		const onEnd = () => settle(undefined);
		const onClose = () => settle(new Error('The client closed the connection before the body was complete.'));
		request.on('data', onData).once('end', onEnd).once('error', settle).once('close', onClose);
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
		return JSON.parse(raw.toString('utf8')) as unknown;
	} catch {
		throw ApiError.badRequest('malformed_json', 'The request body is not valid JSON.');
	}
}

export function bodyTooLarge(limit: number): ApiError {
	return new ApiError(413, 'payload_too_large', `The request body is larger than ${limit} bytes.`);
}
