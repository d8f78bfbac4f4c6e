import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, writeResponse, type HarnessResponse } from '../http.js';
import type { ActivityState } from '../state/activities.js';

/** A week, as Discord's example token response says (`expires_in: 604800`, developers/topics/oauth2.mdx). */
const ACCESS_TOKEN_SECONDS = 604_800;

/**
 * The OAuth2 side of an Activity's sign-in, which the bot's REST router does not serve: the token endpoint takes an
 * `application/x-www-form-urlencoded` body (not JSON) and `/users/@me` a user's Bearer token (not the bot's). So
 * these two are answered before the router: `claims` says whether a request is one of them.
 *
 * Per discord-api-docs developers/topics/oauth2.mdx ("Authorization Code Grant", "Access Token Exchange Example"):
 * `POST /oauth2/token` with `grant_type=authorization_code`, `code`, and the client authenticated by `client_id` and
 * `client_secret` in the form body or HTTP Basic; the answer is `{access_token, token_type: 'Bearer', expires_in,
 * refresh_token, scope}`. A wrong, used or unknown code is 400 `{error: 'invalid_grant'}` (RFC 6749 5.2, which the
 * page follows), a wrong client 401 `{error: 'invalid_client'}`, another grant type 400 `unsupported_grant_type`.
 */
export class OAuth2Endpoints {
	public constructor(
		private readonly activities: ActivityState,
		private readonly applicationId: () => string
	) {}

	public claims(request: IncomingMessage): boolean {
		const path = apiPathOf(request.url ?? '/');
		if (path === '/oauth2/token' && request.method === 'POST') return true;
		return path === '/users/@me' && request.method === 'GET' && /^Bearer /.test(request.headers.authorization ?? '');
	}

	public async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const path = apiPathOf(request.url ?? '/');
		const raw = await readBody(request);
		writeResponse(response, path === '/oauth2/token' ? this.#token(request, raw.toString('utf8')) : this.#currentUser(request));
	}

	#token(request: IncomingMessage, body: string): HarnessResponse {
		if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded'))
			return { status: 400, body: { error: 'invalid_request', error_description: 'Use application/x-www-form-urlencoded.' } };
		const form = new URLSearchParams(body);
		const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
		const [basicId, basicSecret] = basic === undefined ? [] : Buffer.from(basic, 'base64').toString('utf8').split(':');
		const clientId = basicId ?? form.get('client_id');
		const clientSecret = basicSecret ?? form.get('client_secret');
		if (clientId !== this.applicationId() || clientSecret !== this.activities.clientSecret)
			return { status: 401, body: { error: 'invalid_client' } };
		if (form.get('grant_type') !== 'authorization_code') return { status: 400, body: { error: 'unsupported_grant_type' } };
		const code = form.get('code') ?? '';
		const grant = this.activities.codes.get(code);
		if (grant === undefined) return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid "code" in request.' } };
		// One exchange per code.
		this.activities.codes.delete(code);
		const accessToken = randomBytes(20).toString('base64url');
		this.activities.accessTokens.set(accessToken, grant);
		return {
			status: 200,
			body: {
				access_token: accessToken,
				token_type: 'Bearer',
				expires_in: ACCESS_TOKEN_SECONDS,
				refresh_token: randomBytes(20).toString('base64url'),
				scope: grant.scopes.join(' ')
			}
		};
	}

	/** `GET /users/@me` with a user's Bearer token: that user (developers/resources/user.mdx "Get Current User"). */
	#currentUser(request: IncomingMessage): HarnessResponse {
		const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
		const user = this.activities.userOfToken(token);
		if (user === undefined) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
		return { status: 200, body: user };
	}
}

/** `/api/v10/oauth2/token` → `/oauth2/token` (also `/api/oauth2/token`); anything outside /api → undefined. */
function apiPathOf(url: string): string | undefined {
	const pathname = url.split('?')[0] ?? '';
	return /^\/api(?:\/v\d+)?(\/.*)$/.exec(pathname)?.[1];
}
