import type { ApiResponse } from '@sapphire/plugin-api';
import { UserFacingError } from '../errors/user-facing-error.js';

/**
 * An error the HTTP API answers with as `{ "error": { "code", "message" } }`: a {@link UserFacingError} built the
 * way the API's own checks (tokens, bodies, query strings) say it, status first. Messages are written for the
 * API's users; anything else thrown inside a route becomes a generic 500 so internal details (stack traces,
 * driver messages, secrets inside them) never leave the process.
 */
export class ApiError extends UserFacingError {
	public constructor(
		status: number,
		code: string,
		message: string,
		details?: unknown,
		/** Response headers that go with this error (such as `Connection: close` after a body too large to read). */
		headers: Readonly<Record<string, string>> = {}
	) {
		super(code, message, { status, details, headers });
		this.name = 'ApiError';
	}

	public static badRequest(code: string, message: string, details?: unknown): ApiError {
		return new ApiError(400, code, message, details);
	}

	public static notFound(message: string): ApiError {
		return new ApiError(404, 'not_found', message);
	}
}

export const INTERNAL_ERROR = new ApiError(500, 'internal_error', 'The server could not complete the request.');

/** Answers with the error envelope: the status, the error's headers, and its API sentence. */
export function sendApiError(response: ApiResponse, error: UserFacingError, headers: Readonly<Record<string, string>> = {}): void {
	if (response.writableEnded) return;
	for (const [name, value] of Object.entries({ ...error.headers, ...headers })) response.setHeader(name, value);
	const body: { code: string; message: string; details?: unknown } = { code: error.code, message: error.apiMessage };
	if (error.details !== undefined) body.details = error.details;
	response.status(error.status).json({ error: body });
}
