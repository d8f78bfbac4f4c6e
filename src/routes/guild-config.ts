import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { z } from 'zod';
import { configChanges } from '../core/audit/config-changes.js';
import { GuildApiRoute, type GuildRequestContext } from '../core/api/api-route.js';
import { readValidatedJson } from '../core/api/read-validated-json.js';
import { assertNoReservedKeys, isPlainObject, type JsonObject } from '../core/config/object-path.js';
import { withConfigRefusals } from '../core/errors/config-refusal.js';

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
			await withConfigRefusals({ guildId, actorId: claims.sub, source: 'api' }, async () => {
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
			});
		}
		const [config, override] = await Promise.all([guildConfig.resolve(guildId), guildConfig.runtimeOverride(guildId)]);
		response.ok(redactor.redactDeep({ config, override }));
	}
}
