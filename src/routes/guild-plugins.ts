import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { refusalForAdmins } from '../core/plugins/refusal-words.js';
import { GuildApiRoute, type GuildRequestContext } from '../core/api/api-route.js';

export class GuildPluginsRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/plugins', methods: ['GET'] });
	}

	protected override async handle(_request: ApiRequest, response: ApiResponse, { guildId }: GuildRequestContext) {
		const { plugins, guildConfig } = this.container;
		const config = await guildConfig.resolve(guildId);
		response.ok({
			plugins: plugins.list().map(({ manifest }) => ({
				name: manifest.name,
				version: manifest.version,
				description: manifest.description,
				enabled: guildConfig.isPluginEnabled(config, manifest.name),
				requires: manifest.requires ?? {}
			})),
			// Installed but refused at start-up, with why in words a server admin can act on.
			notLoaded: plugins
				.refusals()
				.filter((refusal) => !plugins.has(refusal.name))
				.map((refusal) => ({ name: refusal.name, reason: refusalForAdmins(refusal, plugins.refusals()) }))
		});
	}
}
