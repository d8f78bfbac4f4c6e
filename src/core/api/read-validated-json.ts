import type { ApiRequest } from '@sapphire/plugin-api';
import type { z } from 'zod';
import { configIssues } from '../config/guild-config-schema.js';
import { issueMessage, issueSentences } from '../config/issue-messages.js';
import { ApiError } from './api-error.js';
import { DEFAULT_BODY_LIMIT, readJsonBody } from './read-json-body.js';

/** Reads a JSON body and checks it against a schema: 400 naming each bad field, with the body untouched elsewhere. */
export async function readValidatedJson<Schema extends z.ZodType>(
	request: ApiRequest,
	schema: Schema,
	limit = DEFAULT_BODY_LIMIT
): Promise<z.output<Schema>> {
	// The same wording as every config check (issue-messages.ts), so the API and the commands refuse alike.
	const result = schema.safeParse(await readJsonBody(request, limit), { error: issueMessage });
	if (result.success) return result.data;
	const details = configIssues(result.error.issues);
	throw ApiError.badRequest(
		'invalid_body',
		`The request body does not have the expected shape: ${issueSentences(details.slice(0, 5))}${details.length > 5 ? ` (and ${details.length - 5} more)` : ''}.`,
		details
	);
}
