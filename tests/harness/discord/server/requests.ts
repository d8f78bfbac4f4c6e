import type { IncomingMessage, ServerResponse } from 'node:http';
import { DiscordErrors, DiscordHTTPError } from '../errors.js';
import { genericRouteOf, parseBody, readBody, writeResponse, type HarnessRequest, type HarnessResponse } from '../http.js';
import type { RecordedRequest } from '../recorder.js';
import { StandInBase } from './base.js';

/** Serving HTTP: the REST API under /api (recorded, rate-limited, fault-injected) and uploaded attachments. */
export abstract class StandInRequests extends StandInBase {
	protected async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const url = new URL(request.url ?? '/', this.baseUrl);
		const method = (request.method ?? 'GET').toUpperCase();
		const raw = await readBody(request);

		if (url.pathname.startsWith('/attachments/')) {
			this.serveAttachment(url.pathname, response);
			return;
		}
		const path = apiPath(url.pathname);
		if (path === undefined) {
			writeResponse(response, { status: 404, body: DiscordErrors.notFound().body });
			return;
		}

		const match = this.router.match(method, path);
		const route = match.kind === 'found' ? match.definition.route : match.kind === 'wrong-method' ? match.route : genericRouteOf(path);
		const params = match.kind === 'found' ? match.params : {};
		const authenticated = request.headers.authorization === `Bot ${this.token}`;
		const record: RecordedRequest = {
			seq: ++this.requestSeq,
			at: Date.now(),
			method,
			path: safeDecode(path),
			route,
			params,
			query: Object.fromEntries(url.searchParams),
			authenticated,
			body: undefined,
			files: [],
			status: 0,
			response: undefined,
			responseHeaders: {}
		};

		let parsed: Awaited<ReturnType<typeof parseBody>> | undefined;
		let parseError: unknown;
		try {
			parsed = await parseBody(raw, request.headers['content-type']);
			record.body = parsed.body;
			record.files = parsed.files.map((f) => ({ field: f.field, filename: f.filename, contentType: f.contentType, size: f.data.length }));
		} catch (error) {
			parseError = error;
		}

		let result: HarnessResponse;
		let headers: Record<string, string> = {};
		try {
			if (match.kind === 'none') throw DiscordErrors.notFound();
			if (match.kind === 'wrong-method') throw DiscordErrors.methodNotAllowed();
			const definition = match.definition;
			if (definition.auth && !authenticated) throw DiscordErrors.unauthorized();
			const decision = this.rateLimits.check({
				method,
				route,
				params,
				exemptFromGlobal: route.startsWith('/interactions/') || (route.startsWith('/webhooks/') && params.webhook_id === this.applicationId)
			});
			headers = decision.headers;
			if (!decision.allowed) {
				result = { status: 429, body: decision.body };
			} else {
				if (parseError !== undefined || !parsed) throw parseError;
				const harnessRequest: HarnessRequest = {
					method,
					path,
					route,
					params,
					query: url.searchParams,
					headers: request.headers,
					body: parsed.body,
					files: parsed.files
				};
				result = this.restFaults.take(method, route) ?? (await definition.handler(harnessRequest));
			}
		} catch (error) {
			if (error instanceof DiscordHTTPError) {
				result = { status: error.status, body: error.body };
			} else {
				this.noteInternalError(error);
				result = { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
			}
		}
		const finalHeaders = { ...headers, ...result.headers };
		record.status = result.status;
		record.response = result.body;
		record.responseHeaders = finalHeaders;
		this.requests.push(record);
		writeResponse(response, { ...result, headers: finalHeaders });
		this.notifier.notify();
	}

	private serveAttachment(pathname: string, response: ServerResponse): void {
		const id = pathname.split('/')[3] ?? '';
		const file = this.state.attachmentFiles.get(id);
		if (!file) {
			writeResponse(response, { status: 404, body: DiscordErrors.notFound().body });
			return;
		}
		response.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': String(file.data.length) });
		response.end(file.data);
	}

	protected noteInternalError(error: unknown): void {
		const err = error instanceof Error ? error : new Error(String(error));
		this.internalErrors.push(err);
		if (this.options.logInternalErrors !== false) console.error('[discord stand-in] internal error:', err);
	}
}

/** `/api/v10/x` → `/x`; also accepts `/api/v9` and an unversioned `/api`. */
function apiPath(pathname: string): string | undefined {
	if (pathname !== '/api' && !pathname.startsWith('/api/')) return undefined;
	const rest = pathname.slice(4);
	const versioned = /^\/v(\d+)(\/.*)?$/.exec(rest);
	if (!versioned) return rest || '/';
	if (versioned[1] !== '10' && versioned[1] !== '9') return undefined;
	return versioned[2] ?? '/';
}

function safeDecode(path: string): string {
	try {
		return decodeURIComponent(path);
	} catch {
		return path;
	}
}
