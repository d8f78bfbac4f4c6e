import { z } from 'zod';

/**
 * An Activity instance id as Discord makes them, `i-<launch>-gc-<guild>-<channel>` (or another location kind): letters,
 * digits, `-` and `_` only, so it is safe in Discord's URL path and in the room store's keys (no `/`, no `..`).
 */
export const instanceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);

/** An OAuth2 authorization code: URL-safe characters only (Discord's are short alphanumeric strings). */
export const authorizationCodeSchema = z.string().regex(/^[A-Za-z0-9._~-]{1,512}$/);

export const signInBodySchema = z.object({ code: authorizationCodeSchema, instanceId: instanceIdSchema });
