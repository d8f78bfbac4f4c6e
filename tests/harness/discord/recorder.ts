/** One REST request the stand-in received, with what it answered. */
export interface RecordedRequest {
	seq: number;
	at: number;
	method: string;
	/** Path below `/api/v10`, percent-decoded, e.g. `/webhooks/1/tok/messages/@original`. */
	path: string;
	/** Route template, e.g. `/channels/:channel_id/messages` (generic `:id` form when no route matched). */
	route: string;
	params: Readonly<Record<string, string>>;
	query: Readonly<Record<string, string>>;
	/** Whether a valid `Authorization: Bot <token>` header was sent. */
	authenticated: boolean;
	/** Parsed JSON body (or the multipart `payload_json`). */
	body: unknown;
	files: { field: string; filename: string; contentType: string; size: number }[];
	status: number;
	/** The JSON body answered (undefined for 204). */
	response: unknown;
	/** Response headers the stand-in set (rate-limit headers etc.). */
	responseHeaders: Readonly<Record<string, string>>;
}

export interface RequestFilter {
	method?: string;
	route?: string;
	path?: string | RegExp;
	status?: number;
}

export function matchesRequest(request: RecordedRequest, filter: RequestFilter): boolean {
	if (filter.method !== undefined && request.method !== filter.method.toUpperCase()) return false;
	if (filter.route !== undefined && request.route !== filter.route) return false;
	if (filter.status !== undefined && request.status !== filter.status) return false;
	if (filter.path !== undefined) {
		if (typeof filter.path === 'string' ? request.path !== filter.path : !filter.path.test(request.path)) return false;
	}
	return true;
}
