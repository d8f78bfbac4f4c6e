import { container } from '@sapphire/framework';
import { botMetrics, definePlugin } from '#sdk';
import { metricsEnvironmentSchema } from './lib/metrics-environment.js';
import { startMetricsServer, type MetricsServer } from './lib/metrics-server.js';

/** What the plugin runs: its own HTTP server when METRICS_PORT is set. */
export interface MetricsServices {
	readonly server?: MetricsServer;
}

export default definePlugin({
	name: 'metrics',
	version: '1.0.0',
	description: 'Prometheus metrics of the bot at /metrics (the API, or METRICS_PORT)',
	core: '^1.2.0',
	// The bot records its metrics for the operator, not for a server: each server's switch changes nothing.
	enabledByDefault: true,
	environment: metricsEnvironmentSchema,
	// Recording starts here (instruments are no-ops until then) and stops with the plugin.
	async start(context): Promise<MetricsServices> {
		const metrics = botMetrics();
		metrics.enable();
		const port = context.env().METRICS_PORT;
		if (port === undefined) return {};
		try {
			// On the API's interface: an operator who keeps the API private keeps the metrics private too.
			return { server: await startMetricsServer(metrics, port, container.env.API_HOST) };
		} catch (error) {
			metrics.disable();
			throw error;
		}
	},
	async stop(_context, services) {
		botMetrics().disable();
		await services.server?.close();
	}
});
