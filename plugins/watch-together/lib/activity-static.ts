import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the web app is built (`npm run build:activity` → dist/activity): beside the compiled plugins, or under dist/ when run from source. */
const CANDIDATE_ROOTS = [
	fileURLToPath(new URL('../../../activity', import.meta.url)),
	fileURLToPath(new URL('../../../dist/activity', import.meta.url))
];

const CONTENT_TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.map': 'application/json; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.webp': 'image/webp',
	'.ico': 'image/x-icon',
	'.woff2': 'font/woff2',
	'.txt': 'text/plain; charset=utf-8'
};

export interface ActivityStaticOptions {
	/** DISCORD_CLIENT_ID, for `/activity/config.json`; undefined answers 503 activity_not_configured. */
	readonly clientId: string | undefined;
	/** Origins the page may load media and thumbnails from: the partner's Kaltura service and the operator's link hosts. */
	readonly mediaOrigins: readonly string[];
	/** Overrides where the build is (tests). */
	readonly root?: string;
}

/** Whether a request is the web app's: `/activity`, or anything under `/activity/`. */
export function isActivityPath(url: string | undefined): boolean {
	const path = (url ?? '').split('?')[0] ?? '';
	return path === '/activity' || path.startsWith('/activity/');
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Watch together is not ready</title></head>
<body><h1>Watch together is not ready on this server</h1>
<p>The bot's operator has not built the Activity's web app yet. Operator: run <code>npm run build</code> (or <code>npm run build:activity</code>) and open the Activity again.</p></body></html>`;

/**
 * Serves the Activity's web app, public like any web page (it holds no secret; everything it does goes through the
 * session token): index.html at `/activity/` (`/activity` redirects there, keeping Discord's query string), hashed
 * assets under `/activity/assets/` cached for a year, `/activity/config.json` with the application id. Files only
 * from inside the build folder; GET and HEAD only.
 */
export async function serveActivity(request: IncomingMessage, response: ServerResponse, options: ActivityStaticOptions): Promise<void> {
	const [path = '', query] = (request.url ?? '').split('?', 2);
	if (request.method !== 'GET' && request.method !== 'HEAD')
		return send(response, 405, 'application/json', '{"error":{"code":"method_not_allowed"}}', { allow: 'GET, HEAD' });
	if (path === '/activity') {
		response.writeHead(301, { location: `/activity/${query === undefined ? '' : `?${query}`}` });
		return void response.end();
	}
	if (path === '/activity/config.json') {
		if (options.clientId === undefined)
			return send(
				response,
				503,
				'application/json',
				JSON.stringify({ error: { code: 'activity_not_configured', message: 'The bot’s operator has not set up the Activity.' } }),
				{ 'cache-control': 'no-store' }
			);
		return send(response, 200, 'application/json', JSON.stringify({ clientId: options.clientId }), { 'cache-control': 'no-store' });
	}
	const root = (options.root === undefined ? CANDIDATE_ROOTS : [options.root]).find((candidate) => existsSync(join(candidate, 'index.html')));
	// A checkout started with `npm start` before any build: say what to do, to whoever opens the Activity and to the operator.
	if (root === undefined)
		return send(response, 503, 'text/html; charset=utf-8', NOT_BUILT_PAGE, { 'cache-control': 'no-store', 'retry-after': '60' });
	let relative: string;
	try {
		relative = decodeURIComponent(path.slice('/activity/'.length)) || 'index.html';
	} catch {
		return send(response, 400, 'application/json', '{"error":{"code":"invalid_path"}}');
	}
	const file = resolve(root, normalize(relative));
	if (relative.includes('\0') || (file !== root && !file.startsWith(root + sep)))
		return send(response, 404, 'application/json', '{"error":{"code":"not_found"}}');
	const info = await stat(file).catch(() => undefined);
	if (info === undefined || !info.isFile()) return send(response, 404, 'application/json', '{"error":{"code":"not_found"}}');
	const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
	const hashed = relative.startsWith('assets/');
	const headers: Record<string, string> = {
		'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
		'x-content-type-options': 'nosniff'
	};
	if (type.startsWith('text/html')) headers['content-security-policy'] = contentSecurityPolicy(options.mediaOrigins, options.clientId);
	const body = await readFile(file);
	send(response, 200, type, request.method === 'HEAD' ? undefined : body, headers, body.length);
}

/**
 * The bot's own origin for code, styles and the socket; media and thumbnails also from the partner's Kaltura hosts;
 * framed only by Discord (or itself): Discord's clients, and this application's own Activity host
 * `<clientId>.discordsays.com`, not any application's (another Activity must not frame this page).
 */
export function contentSecurityPolicy(mediaOrigins: readonly string[], clientId?: string): string {
	const activityHost = clientId !== undefined && /^\d{17,20}$/.test(clientId) ? `https://${clientId}.discordsays.com` : '';
	const media = ["'self'", 'blob:', ...mediaOrigins].join(' ');
	return [
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		`img-src 'self' data: ${mediaOrigins.join(' ')}`.trim(),
		`media-src ${media}`,
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		`frame-ancestors 'self' https://discord.com https://*.discord.com ${activityHost}`.trim()
	].join('; ');
}

function send(
	response: ServerResponse,
	status: number,
	type: string,
	body: string | Buffer | undefined,
	headers: Record<string, string> = {},
	length?: number
): void {
	response.writeHead(status, {
		'content-type': type,
		'content-length': String(length ?? (body === undefined ? 0 : Buffer.byteLength(body))),
		...headers
	});
	response.end(body);
}
