/**
 * HTTP front: routes /api_v3/service/<service>/action/<action> and /api_v3/service/multirequest,
 * reads params from the path, query string and body (JSON, form, multipart `json` field), applies
 * connection-level faults and answers HTTP 200 with the bare JSON value (format=1) or XML.
 * As kaltura/server api_v3/web/index.php → api_v3/lib/KalturaFrontController.php `run`
 * (path pairs, GET, POST and a JSON body merged; `service=multirequest` → handleMultiRequest) and
 * api_v3/lib/types/enums/KalturaResponseType.php (1 JSON, 2 XML, 9 JSONP). Kaltura answers its API errors with
 * HTTP 200 and the exception as the result; a non-200 comes only from something in front of it (faults.httpStatus).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomInt } from 'node:crypto';
import { executeCall, executeMultiRequest, subRequests, type DispatchEnv } from './dispatcher.js';
import { errorBody } from './errors.js';
import { isPlayManifestPath, servePlayManifest } from './play-manifest.js';
import type { Params } from './params.js';
import { toXml } from './serialize.js';

const MAX_BODY = 20 * 1024 * 1024;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** "filter:nameLike=x&1:service=media" style keys → nested objects. */
export function unflattenColon(pairs: Iterable<[string, string]>): Params {
	const out: Params = {};
	for (const [key, value] of pairs) {
		const parts = key.split(':');
		let cur: Record<string, unknown> = out;
		for (let i = 0; i < parts.length - 1; i++) {
			const part = parts[i] as string;
			const next = cur[part];
			if (!next || typeof next !== 'object') cur[part] = {};
			cur = cur[part] as Record<string, unknown>;
		}
		const last = parts[parts.length - 1] as string;
		// "-" and "__null" are the form protocol's "null" markers
		cur[last] = value === '__null' ? null : value;
	}
	return out;
}

function deepMerge(target: Params, source: Params): Params {
	for (const [k, v] of Object.entries(source)) {
		const t = target[k];
		if (v && typeof v === 'object' && !Array.isArray(v) && t && typeof t === 'object' && !Array.isArray(t)) {
			deepMerge(t as Params, v as Params);
		} else {
			target[k] = v;
		}
	}
	return target;
}

function parseMultipartJson(body: Buffer, contentType: string): Params {
	const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	const boundary = m?.[1] ?? m?.[2];
	if (!boundary) return {};
	const text = body.toString('latin1');
	const out: Params = {};
	for (const part of text.split(`--${boundary}`)) {
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd === -1) continue;
		const headers = part.slice(0, headerEnd);
		const name = /name="([^"]+)"/i.exec(headers)?.[1];
		const content = part.slice(headerEnd + 4).replace(/\r\n$/, '');
		if (name === 'json') {
			try {
				Object.assign(out, JSON.parse(Buffer.from(content, 'latin1').toString('utf8')) as Params);
			} catch {
				/* ignore */
			}
		} else if (name && !/filename=/i.test(headers)) {
			out[name] = Buffer.from(content, 'latin1').toString('utf8');
		}
	}
	return out;
}

function parseBody(body: Buffer, contentType: string): Params {
	if (body.length === 0) return {};
	const ct = contentType.toLowerCase();
	if (ct.startsWith('multipart/form-data')) return parseMultipartJson(body, contentType);
	const text = body.toString('utf8').trim();
	if (ct.startsWith('application/json') || (text.startsWith('{') && text.endsWith('}'))) {
		try {
			const v = JSON.parse(text) as unknown;
			return v && typeof v === 'object' && !Array.isArray(v) ? (v as Params) : {};
		} catch {
			return {};
		}
	}
	return unflattenColon(new URLSearchParams(text).entries());
}

interface Route {
	service?: string;
	action?: string;
	multi: boolean;
	pathParams: Params;
}

function route(pathname: string): Route | undefined {
	const path = pathname.replace(/\/{2,}/g, '/');
	const m = /^\/api_v3(\/.*)?$/i.exec(path);
	if (!m) return undefined;
	const rest = (m[1] ?? '/').split('/').filter(Boolean);
	if (rest.length === 0 || /^index\.php$/i.test(rest[0] ?? '')) return { multi: false, pathParams: {} };
	if ((rest[0] ?? '').toLowerCase() !== 'service') return undefined;
	const service = rest[1];
	if (!service) return { multi: false, pathParams: {} };
	if (service.toLowerCase() === 'multirequest') return { multi: true, pathParams: pairs(rest.slice(2)) };
	const pp = pairs(rest.slice(2));
	const action = typeof pp.action === 'string' ? pp.action : undefined;
	delete pp.action;
	return { service, ...(action ? { action } : {}), multi: false, pathParams: pp };
}

function pairs(segs: string[]): Params {
	const out: [string, string][] = [];
	for (let i = 0; i + 1 < segs.length; i += 2) out.push([decodeURIComponent(segs[i] as string), decodeURIComponent(segs[i + 1] as string)]);
	return unflattenColon(out);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const b = chunk as Buffer;
		size += b.length;
		if (size > MAX_BODY) throw new Error('body too large');
		chunks.push(b);
	}
	return Buffer.concat(chunks);
}

export interface RunningServer {
	url: string;
	server: Server;
	close(): Promise<void>;
}

export async function startHttpServer(env: DispatchEnv, opts: { host?: string; port?: number } = {}): Promise<RunningServer> {
	const sockets = new Set<Socket>();
	const server = createServer((req, res) => {
		void handle(env, req, res);
	});
	server.keepAliveTimeout = 5000;
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
	});
	const addr = server.address() as AddressInfo;
	const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
	return {
		url: `http://${host}:${addr.port}`,
		server,
		close: () =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			})
	};
}

async function handle(env: DispatchEnv, req: IncomingMessage, res: ServerResponse): Promise<void> {
	env.stats.requestStarted();
	let ended = false;
	const end = () => {
		if (!ended) {
			ended = true;
			env.stats.requestEnded();
		}
	};
	res.on('close', end);
	try {
		// concatenate instead of new URL(path, base): a path starting with "//" (serviceUrl with a trailing
		// slash) would otherwise be read as a protocol-relative host
		const url = new URL(`http://stand-in${req.url ?? '/'}`);
		if (isPlayManifestPath(url.pathname.replace(/\/{2,}/g, '/'))) {
			servePlayManifest(env.state, req, res, url);
			return;
		}
		const r = route(url.pathname);
		if (!r) {
			res.writeHead(404, { 'Content-Type': 'text/html' });
			res.end('<html><body><h1>404 Not Found</h1></body></html>');
			return;
		}
		const body = await readBody(req);
		const params: Params = {};
		deepMerge(params, r.pathParams);
		deepMerge(params, unflattenColon(url.searchParams.entries()));
		deepMerge(params, parseBody(body, String(req.headers['content-type'] ?? '')));
		const service = r.service ?? (typeof params.service === 'string' ? params.service : undefined);
		const action = r.action ?? (typeof params.action === 'string' ? params.action : undefined);
		const multi = r.multi || service?.toLowerCase() === 'multirequest';
		if (!multi) {
			delete params.service;
			delete params.action;
		}

		const calls = multi
			? subRequests(params).map((s) => ({ service: String(s.params.service).toLowerCase(), action: String(s.params.action).toLowerCase() }))
			: [{ service: (service ?? '').toLowerCase(), action: (action ?? '').toLowerCase() }];

		const globalLatency = env.faults.takeRequestLatency();
		if (globalLatency > 0) await sleep(globalLatency);

		const fault = env.faults.takeConnectionFault(calls, multi);
		if (fault?.kind === 'drop' && fault.phase === 'before-response') {
			env.stats.dropped += 1;
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'timeout') {
			if (fault.afterMs === undefined) {
				env.stats.hung += 1;
				return; // never answered; the socket is destroyed on stop()
			}
			await sleep(fault.afterMs);
		}
		if (fault?.kind === 'httpStatus') {
			res.writeHead(fault.status, { 'Content-Type': fault.contentType });
			res.end(fault.body);
			return;
		}

		let result: unknown;
		if (multi) {
			result = await executeMultiRequest({ ...env, requestUri: req.url ?? '/' }, params);
		} else if (!service) {
			result = errorBody('SERVICE_NOT_SPECIFIED');
		} else if (!action) {
			result = errorBody('ACTION_NOT_SPECIFIED');
		} else {
			result = await executeCall({ ...env, requestUri: req.url ?? '/' }, service, action, params, false);
		}
		if (res.destroyed) return;

		const format = String(params.format ?? '2');
		const headers: Record<string, string> = {
			'X-Me': 'kaltura-stand-in',
			'X-Kaltura-Session': String(randomInt(1, 2 ** 31 - 1)),
			'Access-Control-Allow-Origin': '*',
			'Cache-Control': 'no-cache'
		};
		let payload: string;
		if (format === '1') {
			headers['Content-Type'] = 'application/json';
			payload = JSON.stringify(result ?? null);
		} else if (format === '9' && typeof params.callback === 'string') {
			headers['Content-Type'] = 'application/javascript';
			payload = `${params.callback}(${JSON.stringify(result ?? null)});`;
		} else {
			headers['Content-Type'] = 'text/xml; charset=utf-8';
			payload = toXml(result);
		}
		const buf = Buffer.from(payload, 'utf8');
		headers['Content-Length'] = String(buf.length);
		res.writeHead(200, headers);
		if (fault?.kind === 'drop' && fault.phase === 'after-headers') {
			env.stats.dropped += 1;
			res.write(buf.subarray(0, Math.floor(buf.length / 2)));
			setImmediate(() => req.socket.destroy());
			return;
		}
		res.end(buf);
	} catch (e) {
		env.stats.warnings.push(`http: ${e instanceof Error ? e.message : String(e)}`);
		if (!res.headersSent && !res.destroyed) {
			res.writeHead(500, { 'Content-Type': 'text/plain' });
			res.end('stand-in error');
		}
	} finally {
		if (res.writableEnded) end();
	}
}
