import { container } from '@sapphire/framework';
import { botMetrics, definePlugin, setUsageListener } from '#sdk';
import { metricsEnvironmentSchema } from './lib/metrics-environment.js';
import { startMetricsServer, type MetricsServer } from './lib/metrics-server.js';
import { UsageStore } from './lib/usage-store.js';
import { UsageStoreConnection } from './lib/usage-store/usage-store-connection.js';

/** What the plugin runs: its own HTTP server when METRICS_PORT is set, and the store of each server's usage. */
export interface MetricsServices {
	readonly server?: MetricsServer;
	readonly usage: UsageStore;
	/** Stops the usage events reaching the store. */
	readonly stopUsage: () => void;
}

export default definePlugin({
	name: 'metrics',
	version: '1.2.0',
	description: 'Prometheus metrics of the bot at /metrics (the API, or METRICS_PORT), and each server its own usage (/stats)',
	core: '^1.3.0',
	// The bot records its metrics for the operator, not for a server: each server's switch changes nothing.
	enabledByDefault: true,
	environment: metricsEnvironmentSchema,
	// Recording starts here (instruments are no-ops until then) and stops with the plugin.
	async start(context): Promise<MetricsServices> {
		// The usage is kept where the core keeps its own documents (MONGODB_URL, else DATA_DIR), so the core's environment says
		// where; nothing is opened until the first event or report.
		const usage = new UsageStore(new UsageStoreConnection(container.env), context.logger);
		const stopUsage = setUsageListener((guildId, event, detail) => void usage.record(guildId, event, detail));
		const metrics = botMetrics();
		metrics.enable();
		const port = context.env().METRICS_PORT;
		if (port === undefined) return { usage, stopUsage };
		try {
			// On the API's interface: an operator who keeps the API private keeps the metrics private too.
			return { server: await startMetricsServer(metrics, port, container.env.API_HOST), usage, stopUsage };
		} catch (error) {
			metrics.disable();
			stopUsage();
			await usage.close();
			throw error;
		}
	},
	async stop(_context, services) {
		botMetrics().disable();
		services.stopUsage();
		await services.usage.close();
		await services.server?.close();
	}
});
