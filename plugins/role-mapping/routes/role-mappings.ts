import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { z } from 'zod';
import {
	ApiError,
	auditConfigRefusal,
	ConfigPolicyError,
	ConfigValidationError,
	GuildApiRoute,
	type GuildRequestContext,
	operatorPolicy,
	readValidatedJson
} from '#sdk';
import { kalturaRoleSchema, SNOWFLAKE } from '../lib/kaltura-roles.js';
import { roleMappingSettings } from '../lib/resolve-kaltura-role.js';

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
			const actor = { guildId, actorId: claims.sub, source: 'api' } as const;
			try {
				const before = await this.container.guildConfig.runtimeOverride(guildId);
				await this.container.guildConfig.set(guildId, 'role-mapping', body);
				await this.container.audit.record({
					...actor,
					action: 'role-mapping.set',
					target: 'role-mapping',
					changes: { before: before['role-mapping'] ?? null, after: body }
				});
			} catch (error) {
				if (error instanceof ConfigPolicyError) {
					await auditConfigRefusal(error, actor);
					throw new ApiError(
						422,
						'role_not_allowed',
						`The operator does not allow this mapping (allowed Kaltura roles: ${operatorPolicy().mappableRoles.join(', ')}).`,
						error.issues
					);
				}
				if (error instanceof ConfigValidationError)
					throw new ApiError(422, 'invalid_config', `The role mapping would not be valid: ${error.message}.`, error.issues);
				throw error;
			}
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
