import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { z } from 'zod';
import { GuildApiRoute, type GuildRequestContext, readValidatedJson } from '#sdk';
import { kalturaRoleSchema, SNOWFLAKE } from '../lib/kaltura-roles.js';
import { roleMappingSettings } from '../lib/resolve-kaltura-role.js';
import { replaceRoleMappings } from '../lib/use-cases/role-mappings.js';

const replacement = z.strictObject({
	defaultRole: kalturaRoleSchema.optional(),
	mappings: z.record(z.string().regex(SNOWFLAKE, { error: 'must be a Discord role id' }), kalturaRoleSchema)
});

/**
 * `GET` the guild's role mappings in effect; `PUT` replaces the mappings changed at run time (those
 * from the server's configuration file stay, as with every config layer).
 */
export class RoleMappingsRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/role-mappings', methods: ['GET', 'PUT'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse, { guildId, claims }: GuildRequestContext) {
		if (request.method === 'PUT') {
			const body = await readValidatedJson(request, replacement);
			await replaceRoleMappings({ guildId, actorId: claims.sub, source: 'api' }, body);
		}
		const settings = await roleMappingSettings(guildId);
		response.ok({
			defaultRole: settings.defaultRole,
			mappings: Object.entries(settings.mappings).map(([key, kalturaRole]) =>
				SNOWFLAKE.test(key) ? { discordRoleId: key, kalturaRole } : { discordRoleName: key, kalturaRole }
			)
		});
	}
}
