import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { z } from 'zod';
import { ApiError } from '../core/api/api-error.js';
import { GuildApiRoute, type GuildRequestContext } from '../core/api/api-route.js';
import { readValidatedJson } from '../core/api/read-validated-json.js';
import { setPluginEnabled } from '../core/plugins/plugin-switches.js';

const switchBody = z.strictObject({ enabled: z.boolean() });

/** `PUT {"enabled": true|false}`: the same rules as `/plugins enable|disable`. */
export class GuildPluginRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/plugins/[name]', methods: ['PUT'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse, { guildId, claims }: GuildRequestContext) {
		const { enabled } = await readValidatedJson(request, switchBody);
		const name = request.params.name ?? '';
		const outcome = await setPluginEnabled(this.container.plugins, this.container.guildConfig, guildId, name, enabled);
		if (!outcome.ok) throw new ApiError(outcome.code === 'unknown_plugin' ? 404 : 409, outcome.code, outcome.message);
		// A switch already in place changed nothing, so there is nothing to record.
		if (outcome.changed) {
			await this.container.audit.record({
				guildId,
				actorId: claims.sub,
				source: 'api',
				action: enabled ? 'plugin.enable' : 'plugin.disable',
				target: name,
				changes: { before: !enabled, after: enabled }
			});
		}
		response.ok({ name, enabled, changed: outcome.changed });
	}
}
