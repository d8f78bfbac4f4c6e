import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';

/** The scope that lets a token read and change one guild's plugins and config. */
export const GUILD_MANAGE_SCOPE = 'guild:manage';

export const TOKEN_ISSUER = 'kaltura-discord-bot';
export const TOKEN_AUDIENCE = 'kaltura-discord-bot/api';

/** A token's id (`jti`): a random UUID, shown to the admin it is issued to so they can revoke it. */
export const TOKEN_ID_PATTERN = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

/** Tokens are bearer credentials; a short life limits what a leaked one is worth. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 15 * 60;
export const MAXIMUM_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

export interface ApiTokenClaims {
	/** The Discord user the token was issued to. */
	readonly sub: string;
	readonly guild_id: string;
	readonly scope: readonly string[];
	readonly jti: string;
	readonly iat: number;
	readonly exp: number;
}

/** The claims a token of ours carries; `jwt.verify` has checked the signature, this checks the shape. */
const claimsSchema = z.object({
	sub: z.string(),
	guild_id: z.string(),
	scope: z.array(z.string()),
	jti: z.string(),
	iat: z.number(),
	exp: z.number()
}) satisfies z.ZodType<ApiTokenClaims>;

export type TokenVerification = { readonly ok: true; readonly claims: ApiTokenClaims } | { readonly ok: false; readonly reason: string };

/**
 * Issues and verifies the API's JWTs. HS256 is pinned on both sides: `alg: none`, RS/HS confusion and
 * every other algorithm are refused, and `exp`, `iss` and `aud` are required, not just checked when present.
 */
export class ApiTokenService {
	readonly #secret: string;

	public constructor(secret: string) {
		if (Buffer.byteLength(secret, 'utf8') < 32) throw new RangeError('The JWT secret must be at least 32 bytes long.');
		this.#secret = secret;
	}

	public issue(options: { userId: string; guildId: string; scope: readonly string[]; lifetimeSeconds?: number }): string {
		const lifetime = Math.min(options.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS, MAXIMUM_TOKEN_LIFETIME_SECONDS);
		return jwt.sign({ guild_id: options.guildId, scope: [...options.scope] }, this.#secret, {
			algorithm: 'HS256',
			expiresIn: lifetime,
			issuer: TOKEN_ISSUER,
			audience: TOKEN_AUDIENCE,
			subject: options.userId,
			jwtid: randomUUID()
		});
	}

	public verify(token: string): TokenVerification {
		let payload: string | jwt.JwtPayload;
		try {
			payload = jwt.verify(token, this.#secret, { algorithms: ['HS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });
		} catch (error) {
			return { ok: false, reason: error instanceof jwt.TokenExpiredError ? 'token expired' : 'token invalid' };
		}
		if (typeof payload === 'string') return { ok: false, reason: 'token invalid' };
		if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') return { ok: false, reason: 'token has no expiry' };
		const claims = claimsSchema.safeParse(payload);
		return claims.success ? { ok: true, claims: claims.data } : { ok: false, reason: 'token invalid' };
	}
}
