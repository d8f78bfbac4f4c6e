import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotMetrics } from '#sdk';

/** The exporter's own HTTP server: `GET /metrics` in Prometheus's text format, 404 for anything else. */
export interface MetricsServer {
	readonly server: Server;
	/** The port it listens on (the one asked for, or the one the system chose for 0). */
	readonly port: number;
	close(): Promise<void>;
}

/** Serves `metrics` on `host:port`; resolves once listening, rejects when the port cannot be taken (in use, not allowed). */
export async function startMetricsServer(metrics: Pick<BotMetrics, 'scrape'>, port: number, host: string): Promise<MetricsServer> {
	const server = createServer((request, response) => {
		const path = (request.url ?? '/').split('?')[0];
		if (path !== '/metrics') {
			response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: metrics are at /metrics\n');
			return;
		}
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Only GET is allowed\n');
			return;
		}
		metrics.scrape().then(
			({ contentType, text }) => response.writeHead(200, { 'content-type': contentType }).end(request.method === 'HEAD' ? undefined : text),
			() => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The metrics could not be collected\n')
		);
	});
	await new Promise<void>((listening, failed) => {
		server.once('error', failed);
		server.listen(port, host, () => {
			server.off('error', failed);
			listening();
		});
	});
	const address = server.address();
	return {
		server,
		port: isAddressInfo(address) ? address.port : port,
		close: () =>
			new Promise<void>((closed) => {
				server.closeAllConnections();
				server.close(() => closed());
			})
	};
}

function isAddressInfo(address: string | AddressInfo | null): address is AddressInfo {
	return typeof address === 'object' && address !== null;
}
