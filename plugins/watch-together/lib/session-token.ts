import jwt from 'jsonwebtoken';
import { z } from 'zod';

/**
 * The Activity's session token: a JWT the bot signs for one member in one Activity instance, once Discord has said who
 * they are and that they are in that instance. Signed with JWT_SECRET like the API's tokens, but with an audience and
 * a `typ` of its own, so neither kind passes for the other: the API's verifier requires the API audience, this one
 * requires the Activity's (and the claims below, which an API token lacks).
 */
export const SESSION_ISSUER = 'kaltura-discord-bot';
export const SESSION_AUDIENCE = 'kaltura-discord-bot/activity';
const SESSION_TYPE = 'activity-session';
export const SESSION_LIFETIME_SECONDS = 15 * 60;

export interface ActivitySession {
	/** The member's Discord user id. */
	readonly userId: string;
	readonly instanceId: string;
	readonly guildId: string;
	readonly channelId: string;
	/** Seconds since the epoch. */
	readonly expiresAt: number;
}

const claimsSchema = z.object({
	sub: z.string().regex(/^\d{17,20}$/),
	ins: z.string().min(1).max(200),
	gid: z.string().regex(/^\d{17,20}$/),
	cid: z.string().regex(/^\d{17,20}$/),
	typ: z.literal(SESSION_TYPE),
	exp: z.number(),
	iat: z.number()
});

export function issueSessionToken(secret: string, session: Omit<ActivitySession, 'expiresAt'>, lifetimeSeconds = SESSION_LIFETIME_SECONDS): string {
	return jwt.sign({ ins: session.instanceId, gid: session.guildId, cid: session.channelId, typ: SESSION_TYPE }, secret, {
		algorithm: 'HS256',
		expiresIn: lifetimeSeconds,
		issuer: SESSION_ISSUER,
		audience: SESSION_AUDIENCE,
		subject: session.userId
	});
}

/** The session a token carries, or undefined for anything else: forged, expired, another audience, another shape. HS256 only. */
export function verifySessionToken(secret: string, token: string): ActivitySession | undefined {
	let payload: string | jwt.JwtPayload;
	try {
		payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: SESSION_ISSUER, audience: SESSION_AUDIENCE });
	} catch {
		return undefined;
	}
	const claims = claimsSchema.safeParse(payload);
	if (!claims.success) return undefined;
	const { sub, ins, gid, cid, exp } = claims.data;
	return { userId: sub, instanceId: ins, guildId: gid, channelId: cid, expiresAt: exp };
}

/** `Authorization: Bearer <jwt>` → the token, else undefined. */
export function bearerTokenOf(header: string | string[] | undefined): string | undefined {
	return typeof header === 'string' ? /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header.trim())?.[1] : undefined;
}
