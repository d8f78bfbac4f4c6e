import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * Puts a handler for some paths in front of the bot's HTTP API on the same server: the API's router only serves under
 * /api/, and every 'request' listener of a Node server sees every request, so the API's listeners are moved behind a
 * dispatcher that gives `claims` paths to `handler` and everything else to them, unchanged. `unmount` puts them back.
 */
export function mountBeforeApi(
	server: Server,
	claims: (url: string | undefined) => boolean,
	handler: RequestHandler,
	onError: (error: unknown) => void
): () => void {
	const api = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
	const dispatch = (request: IncomingMessage, response: ServerResponse) => {
		if (!claims(request.url)) {
			for (const listener of api) listener.call(server, request, response);
			return;
		}
		handler(request, response).catch((error: unknown) => {
			onError(error);
			if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
			response.end('{"error":{"code":"internal_error"}}');
		});
	};
	for (const listener of api) server.off('request', listener);
	server.on('request', dispatch);
	return () => {
		server.off('request', dispatch);
		for (const listener of api) server.on('request', listener);
	};
}
