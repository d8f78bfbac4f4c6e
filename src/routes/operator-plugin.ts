import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError } from '../core/api/api-error.js';
import { OperatorApiRoute } from '../core/api/operator-route.js';
import type { RuntimeAction, RuntimeRefusalCode } from '../core/plugins/plugin-runtime.js';

const ACTIONS: readonly RuntimeAction[] = ['load', 'unload', 'reload'];

const STATUS: Readonly<Record<RuntimeRefusalCode, number>> = {
	unknown_plugin: 404,
	already_loaded: 409,
	not_loaded: 409,
	required_by_loaded: 409,
	refused: 422
};

function isAction(value: string): value is RuntimeAction {
	return ACTIONS.some((action) => action === value);
}

/**
 * A path segment as its sender meant it: plugin-api hands route parameters over still percent-encoded, and a scoped
 * package name can only be sent encoded (`npm run plugins` sends `%40acme%2Fplugin`). What it decodes to is a name,
 * never a path: the runtime looks it up among plugin names and PLUGIN_PACKAGES only.
 */
function decodedSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		// Not valid percent-encoding: no plugin has such a name, and the runtime answers as for any unknown one.
		return segment;
	}
}

/** `POST /api/v1/operator/plugins/<name>/load|unload|reload`: switches a plugin for the whole process (`npm run plugins`). */
export class OperatorPluginRoute extends OperatorApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'operator/plugins/[name]/[action]', methods: ['POST'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse) {
		const name = decodedSegment(request.params.name ?? '');
		const action = request.params.action ?? '';
		if (!isAction(action)) throw ApiError.notFound(`There is no plugin action "${action}"; use ${ACTIONS.join(', ')}.`);
		const runtime = this.container.pluginRuntime;
		const outcome = await (action === 'load' ? runtime.load(name) : action === 'unload' ? runtime.unload(name) : runtime.reload(name));
		if (!outcome.ok) throw new ApiError(STATUS[outcome.code], outcome.code, outcome.message);
		response.ok({ name: outcome.name, action: outcome.action, version: outcome.version, commands: outcome.commands });
	}
}
