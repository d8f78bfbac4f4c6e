import type { StoreRegistry } from '@sapphire/framework';
import { ApiBodyLimitMiddleware, ApiCookiesMiddleware, ApiHeadersMiddleware, ApiRequestIdMiddleware } from './api-middlewares.js';
import { ApiMiddlewareErrorListener, ApiRouteErrorListener } from './api-route-error.js';
import { CoreReadyListener } from './core-ready.js';

/**
 * Pieces that replace a framework or plugin-api piece of the same name. They are registered under
 * those exact names, after the originals, so the store keeps only these.
 */
export async function installCoreOverrides(stores: StoreRegistry): Promise<void> {
	await stores.loadPiece({ store: 'listeners', name: 'CoreReady', piece: CoreReadyListener });
	await stores.loadPiece({ store: 'listeners', name: 'PluginRouteError', piece: ApiRouteErrorListener });
	await stores.loadPiece({ store: 'listeners', name: 'PluginServerMiddlewareError', piece: ApiMiddlewareErrorListener });
	await stores.loadPiece({ store: 'middlewares', name: 'headers', piece: ApiHeadersMiddleware });
	await stores.loadPiece({ store: 'middlewares', name: 'cookies', piece: ApiCookiesMiddleware });
	await stores.loadPiece({ store: 'middlewares', name: 'body', piece: ApiBodyLimitMiddleware });
	// A piece of the core's own, with no framework original: every request gets an id to log and answer with.
	await stores.loadPiece({ store: 'middlewares', name: 'requestId', piece: ApiRequestIdMiddleware });
}
