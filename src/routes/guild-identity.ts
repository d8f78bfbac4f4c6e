import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { z } from 'zod';
import { ApiError } from '../core/api/api-error.js';
import { GuildApiRoute, type GuildRequestContext } from '../core/api/api-route.js';
import { readValidatedJson } from '../core/api/read-validated-json.js';
import { linkIdentity, unlinkIdentity } from '../core/auth/link-identity.js';

const linkBody = z.strictObject({ kalturaUserId: z.string().min(1).max(100) });
const SNOWFLAKE = /^\d{17,20}$/;

/** `GET` which Kaltura user a member is; `PUT {"kalturaUserId"}` links them to an existing one; `DELETE` unlinks. */
export class GuildIdentityRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/identities/[userId]', methods: ['GET', 'PUT', 'DELETE'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse, { guildId, claims }: GuildRequestContext) {
		const userId = request.params.userId ?? '';
		if (!SNOWFLAKE.test(userId)) throw ApiError.badRequest('invalid_user_id', 'The user id must be a Discord user id.');
		const { identity } = this.container;
		const actor = { actorId: claims.sub, source: 'api' } as const;
		if (request.method === 'PUT') {
			const { kalturaUserId } = await readValidatedJson(request, linkBody);
			await linkIdentity(guildId, userId, kalturaUserId, actor);
		} else if (request.method === 'DELETE') {
			await unlinkIdentity(guildId, userId, actor);
		}
		// A stored link outside the operator's bounds counts as none (linkOf).
		const link = await identity.linkOf(guildId, userId);
		response.ok({
			userId,
			kalturaUserId: link?.kalturaUserId ?? identity.derivedKalturaUserId(userId),
			linked: link !== undefined,
			...(link ? { linkedBy: link.linkedBy, linkedAt: link.linkedAt } : {})
		});
	}
}
