import { z } from 'zod';

/** The plugin's environment variables (the manifest's `environment`); the core parses them at start-up. */
export const metricsEnvironmentSchema = z.object({
	/** When set, `/metrics` is served on this port of its own (on API_HOST) instead of the HTTP API's `/api/v1/metrics`. */
	METRICS_PORT: z.coerce
		.number({ error: 'must be a port number' })
		.int({ error: 'must be a whole number' })
		.min(1, { error: 'must be between 1 and 65535' })
		.max(65535, { error: 'must be between 1 and 65535' })
		.optional()
});

export type MetricsEnvironment = z.output<typeof metricsEnvironmentSchema>;
