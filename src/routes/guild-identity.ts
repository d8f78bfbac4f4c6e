import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { z } from 'zod';
import { ApiError } from '../core/api/api-error.js';
import { GuildApiRoute, type GuildRequestContext } from '../core/api/api-route.js';
import { readValidatedJson } from '../core/api/read-validated-json.js';
import { IdentityLinkError, linkToExistingKalturaUser, unlinkIdentity } from '../core/auth/link-identity.js';
import { KalturaError } from '../core/kaltura/kaltura-error.js';

const linkBody = z.strictObject({ kalturaUserId: z.string().min(1).max(100) });
const SNOWFLAKE = /^\d{17,20}$/;
const LINK_ERROR_STATUS: Readonly<Record<IdentityLinkError['code'], number>> = {
	invalid_kaltura_user_id: 400,
	links_disabled: 403,
	unknown_member: 404,
	link_refused: 422
};

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
			try {
				await linkToExistingKalturaUser(guildId, userId, kalturaUserId, actor);
			} catch (error) {
				// Every policy refusal is one 422, whatever the reason: a 404 would tell which Kaltura user ids exist.
				// 404 `unknown_member` is about the Discord user only, who must be a member of this server to be linked.
				if (error instanceof IdentityLinkError) throw new ApiError(LINK_ERROR_STATUS[error.code], error.code, error.message);
				if (error instanceof KalturaError) throw new ApiError(error.transient ? 503 : 502, 'kaltura_error', error.userMessage);
				throw error;
			}
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
