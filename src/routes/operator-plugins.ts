import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { OperatorApiRoute } from '../core/api/operator-route.js';

/** `GET /api/v1/operator/plugins`: what runs in this process and what does not, with the operator's reasons. */
export class OperatorPluginsRoute extends OperatorApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'operator/plugins', methods: ['GET'] });
	}

	protected override handle(_request: ApiRequest, response: ApiResponse) {
		const { plugins, pluginLifecycle } = this.container;
		response.ok({
			loaded: plugins.list().map((plugin) => ({
				name: plugin.manifest.name,
				version: plugin.manifest.version,
				...(plugin.packageName === undefined ? {} : { package: plugin.packageName }),
				running: pluginLifecycle?.isRunning(plugin.manifest.name) ?? false
			})),
			notLoaded: plugins
				.refusals()
				.filter((refusal) => !plugins.has(refusal.name))
				.map((refusal) => ({ name: refusal.name, kind: refusal.kind, reason: refusal.reason }))
		});
	}
}
