import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { z } from 'zod';
import { ApiError } from '../core/api/api-error.js';
import { configChanges } from '../core/audit/config-changes.js';
import { GuildApiRoute, type GuildRequestContext } from '../core/api/api-route.js';
import { readValidatedJson } from '../core/api/read-validated-json.js';
import { ConfigValidationError } from '../core/config/guild-config-schema.js';
import { PluginNotLoadedError } from '../core/config/guild-config-service.js';
import { ConfigRequirementError } from '../core/config/plugin-requirements.js';
import { assertNoReservedKeys, ConfigPathError, isPlainObject, type JsonObject } from '../core/config/object-path.js';
import { auditConfigRefusal, ConfigPolicyError } from '../core/policy/runtime-config-check.js';

/**
 * Any JSON object, kept as parsed: a record schema would quietly drop a top-level `"__proto__"` key
 * rather than let the check below refuse it.
 */
const mergePatch = z.custom<JsonObject>((value) => isPlainObject(value), 'The body must be a JSON object.');

/**
 * `GET` the guild's configuration in effect and its runtime override; `PATCH` with a JSON merge patch
 * (RFC 7396: objects merge, `null` removes a runtime value). An invalid result is refused whole (422).
 */
export class GuildConfigRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/config', methods: ['GET', 'PATCH'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse, { guildId, claims }: GuildRequestContext) {
		const { guildConfig, redactor } = this.container;
		if (request.method === 'PATCH') {
			const patch = await readValidatedJson(request, mergePatch);
			try {
				// `__proto__` and its kin are refused at any depth, lists included, before anything is read or written.
				assertNoReservedKeys(patch);
				const before = await guildConfig.runtimeOverride(guildId);
				await guildConfig.patch(guildId, patch);
				await this.container.audit.record({
					guildId,
					actorId: claims.sub,
					source: 'api',
					action: 'config.set',
					target: Object.keys(patch).join(', '),
					changes: configChanges(before, await guildConfig.runtimeOverride(guildId))
				});
			} catch (error) {
				if (error instanceof PluginNotLoadedError) throw new ApiError(409, 'not_loaded', error.message);
				if (error instanceof ConfigPathError) throw new ApiError(422, 'invalid_config', error.message);
				if (error instanceof ConfigPolicyError) await auditConfigRefusal(error, { guildId, actorId: claims.sub, source: 'api' });
				// The same codes as PUT /plugins/:name: a patch that breaks a plugin's requirement is refused like the switch.
				if (error instanceof ConfigRequirementError) throw new ApiError(409, error.code, `${error.message}.`, error.issues);
				if (error instanceof ConfigValidationError)
					throw new ApiError(422, 'invalid_config', `The configuration would not be valid: ${error.message}.`, error.issues);
				throw error;
			}
		}
		const [config, override] = await Promise.all([guildConfig.resolve(guildId), guildConfig.runtimeOverride(guildId)]);
		response.ok(redactor.redactDeep({ config, override }));
	}
}
