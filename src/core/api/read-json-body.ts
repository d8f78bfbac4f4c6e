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
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > limit) {
			request.resume();
			throw bodyTooLarge(limit);
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks, size);
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
