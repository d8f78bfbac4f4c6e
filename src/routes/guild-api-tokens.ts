import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { z } from 'zod';
import { ApiError } from '../core/api/api-error.js';
import { GuildApiRoute, type GuildRequestContext } from '../core/api/api-route.js';
import { readValidatedJson } from '../core/api/read-validated-json.js';
import { TOKEN_ID_PATTERN } from '../core/auth/api-tokens.js';

/** `{}` revokes every token of the guild; `{ "jti": "..." }` one token. */
const revokeBody = z.strictObject({
	jti: z.string().regex(TOKEN_ID_PATTERN, { error: 'must be a token id as /api-token issue shows it' }).optional()
});

/**
 * `POST /guilds/:guildId/api-tokens/revoke`: revokes this guild's API tokens, all of them issued up to
 * now (the calling token included) or the one with the given id, on every instance of the bot.
 */
export class GuildApiTokensRevokeRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/api-tokens/revoke', methods: ['POST'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse, { guildId, claims }: GuildRequestContext) {
		const { jti } = await readValidatedJson(request, revokeBody);
		const { tokenRevocations, audit } = this.container;
		if (jti === undefined) {
			const notBefore = await tokenRevocations.revokeAll(guildId);
			const issuedBefore = new Date((notBefore + 1) * 1000).toISOString();
			await audit.record({ guildId, actorId: claims.sub, source: 'api', action: 'api-token.revoke', target: 'all', changes: { issuedBefore } });
			response.ok({ revoked: 'all', issuedBefore });
			return;
		}
		const issued = await tokenRevocations.revoke(guildId, jti, claims.sub);
		if (issued === undefined) throw new ApiError(404, 'unknown_token', 'No unexpired token with this id was issued for this server.');
		await audit.record({
			guildId,
			actorId: claims.sub,
			source: 'api',
			action: 'api-token.revoke',
			target: jti,
			changes: { issuedTo: issued.userId }
		});
		response.ok({ revoked: jti, issuedTo: issued.userId, expiresAt: new Date(issued.exp * 1000).toISOString() });
	}
}
