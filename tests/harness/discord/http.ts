import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { DiscordErrors } from './errors.js';

export type HTTPMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface UploadedFile {
	/** Form field name, e.g. `files[0]`. */
	field: string;
	filename: string;
	contentType: string;
	data: Buffer;
}

export interface HarnessRequest {
	method: string;
	/** Path below the version prefix, e.g. `/channels/123/messages`. */
	path: string;
	/** The matched route template, e.g. `/channels/:channel_id/messages`. */
	route: string;
	params: Readonly<Record<string, string>>;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	/** Parsed JSON body, or the `payload_json` part of a multipart body. */
	body: unknown;
	files: UploadedFile[];
}

export interface HarnessResponse {
	status: number;
	/** Serialised as JSON; omitted for 204. */
	body?: unknown;
	headers?: Record<string, string>;
}

export type RouteHandler = (request: HarnessRequest) => HarnessResponse | Promise<HarnessResponse>;

export interface RouteDefinition {
	method: HTTPMethod;
	/** Template with `:name` parameters, e.g. `/channels/:channel_id/messages/:message_id`. */
	route: string;
	/** Whether `Authorization: Bot <token>` is required. */
	auth: boolean;
	handler: RouteHandler;
}

export type RouteMatch =
	{ kind: 'found'; definition: RouteDefinition; params: Record<string, string> } | { kind: 'wrong-method'; route: string } | { kind: 'none' };

interface CompiledRoute {
	definition: RouteDefinition;
	segments: string[];
	literalCount: number;
}

/** Minimal path router: literal segments beat parameters when both match. */
export class Router {
	readonly #routes: CompiledRoute[] = [];

	public add(...definitions: RouteDefinition[]): this {
		for (const definition of definitions) {
			const segments = splitPath(definition.route);
			this.#routes.push({
				definition,
				segments,
				literalCount: segments.filter((s) => !s.startsWith(':')).length
			});
		}
		return this;
	}

	public match(method: string, path: string): RouteMatch {
		const parts = splitPath(path);
		let best: { route: CompiledRoute; params: Record<string, string> } | undefined;
		let pathMatchedRoute: string | undefined;
		for (const route of this.#routes) {
			const params = matchSegments(route.segments, parts);
			if (!params) continue;
			pathMatchedRoute ??= route.definition.route;
			if (route.definition.method !== method) continue;
			if (!best || route.literalCount > best.route.literalCount) best = { route, params };
		}
		if (best) return { kind: 'found', definition: best.route.definition, params: best.params };
		if (pathMatchedRoute !== undefined) return { kind: 'wrong-method', route: pathMatchedRoute };
		return { kind: 'none' };
	}
}

function splitPath(path: string): string[] {
	return path.split('/').filter((segment) => segment.length > 0);
}

function matchSegments(template: string[], parts: string[]): Record<string, string> | undefined {
	if (template.length !== parts.length) return undefined;
	const params: Record<string, string> = {};
	for (let i = 0; i < template.length; i += 1) {
		const expected = template[i]!;
		const actual = parts[i]!;
		if (expected.startsWith(':')) params[expected.slice(1)] = decodeURIComponent(actual);
		else if (expected !== actual) return undefined;
	}
	return params;
}

/** A route-like key for paths no route matched: ids replaced by `:id`. */
export function genericRouteOf(path: string): string {
	return path.replace(/\/\d{16,20}(?=\/|$)/g, '/:id');
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/**
 * Parses a JSON or multipart/form-data body the way Discord accepts them: multipart
 * carries the JSON in `payload_json` (or as plain fields) and files in `files[n]`.
 */
export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<{ body: unknown; files: UploadedFile[] }> {
	if (raw.length === 0) return { body: undefined, files: [] };
	const type = (contentType ?? '').toLowerCase();
	if (type.startsWith('multipart/form-data')) {
		let form: FormData;
		try {
			form = await new Response(raw, { headers: { 'content-type': contentType ?? '' } }).formData();
		} catch {
			throw DiscordErrors.invalidJson();
		}
		const files: UploadedFile[] = [];
		let body: Record<string, unknown> | undefined;
		const fields: Record<string, unknown> = {};
		for (const [field, value] of form.entries()) {
			if (typeof value === 'string') {
				if (field === 'payload_json') body = parseJson(value) as Record<string, unknown>;
				else fields[field] = value;
			} else {
				files.push({
					field,
					filename: value.name,
					contentType: value.type || 'application/octet-stream',
					data: Buffer.from(await value.arrayBuffer())
				});
			}
		}
		return { body: body ?? fields, files };
	}
	return { body: parseJson(raw.toString('utf8')), files: [] };
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw DiscordErrors.invalidJson();
	}
}

export function writeResponse(response: ServerResponse, result: HarnessResponse): void {
	const headers: Record<string, string> = { ...result.headers };
	if (result.status === 204 || result.body === undefined) {
		response.writeHead(result.status, headers);
		response.end();
		return;
	}
	const payload = JSON.stringify(result.body);
	headers['Content-Type'] = 'application/json';
	headers['Content-Length'] = String(Buffer.byteLength(payload));
	response.writeHead(result.status, headers);
	response.end(payload);
}
