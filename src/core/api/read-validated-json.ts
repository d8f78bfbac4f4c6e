import type { ApiRequest } from '@sapphire/plugin-api';
import type { z } from 'zod';
import { ApiError } from './api-error.js';
import { DEFAULT_BODY_LIMIT, readJsonBody } from './read-json-body.js';

/** Reads a JSON body and checks it against a schema: 400 naming each bad field, with the body untouched elsewhere. */
export async function readValidatedJson<Schema extends z.ZodType>(request: ApiRequest, schema: Schema, limit = DEFAULT_BODY_LIMIT): Promise<z.output<Schema>> {
	const result = schema.safeParse(await readJsonBody(request, limit));
	if (result.success) return result.data;
	const details = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
	throw ApiError.badRequest('invalid_body', 'The request body does not have the expected shape.', details);
}
