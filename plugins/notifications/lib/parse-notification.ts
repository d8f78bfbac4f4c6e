import { createHash } from 'node:crypto';
import { ApiError } from '../../../src/core/api/api-error.js';

/**
 * The body Kaltura sends, parsed: JSON `KalturaHttpNotification` (ObjectData template), or the same JSON
 * url-encoded in a `data` form field (templates with the urlEncode flag). Form fields without `data`
 * (DataFields templates) become an object of those fields. 400 when it parses to nothing usable.
 */
export function parseNotificationBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
	const body = raw.toString('utf8');
	if (body.trim() === '') throw ApiError.badRequest('empty_body', 'The notification has no body.');
	const urlencoded = /^application\/x-www-form-urlencoded\b/i.test(contentType ?? '') || body.startsWith('data=');
	let json = body;
	if (urlencoded) {
		const fields = new URLSearchParams(body);
		const data = fields.get('data');
		if (data === null) return Object.fromEntries(fields);
		json = data;
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(json);
	} catch {
		throw ApiError.badRequest('malformed_json', 'The notification is not valid JSON.');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw ApiError.badRequest('invalid_notification', 'The notification must be a JSON object.');
	}
	return parsed as Record<string, unknown>;
}

/** The idempotency key: Kaltura's job id (the same on every retry), else a hash of the body. */
export function notificationKey(jobId: string | null, raw: Buffer): string {
	return jobId === null ? `sha256:${createHash('sha256').update(raw).digest('hex')}` : `job:${jobId}`;
}
