/**
 * The metric names the bot exports (docs/operations.md, "Metrics"): the contract between the metrics
 * exporter, the alert rules (deploy/prometheus/alerts.yml) and the dashboard (deploy/grafana/). A rule or
 * panel that names anything else would sit silent forever, so the monitoring test refuses it.
 */
export interface ContractMetric {
	readonly type: 'counter' | 'gauge' | 'histogram';
	readonly labels: readonly string[];
}

export const METRIC_PREFIX = 'kaltura_bot_';

export const CONTRACT_METRICS: Readonly<Record<string, ContractMetric>> = {
	kaltura_bot_gateway_ping_seconds: { type: 'gauge', labels: ['shard'] },
	kaltura_bot_gateway_connected: { type: 'gauge', labels: ['shard'] },
	kaltura_bot_gateway_reconnects_total: { type: 'counter', labels: ['shard'] },
	kaltura_bot_gateway_resumes_total: { type: 'counter', labels: ['shard'] },
	kaltura_bot_guilds: { type: 'gauge', labels: [] },
	kaltura_bot_interactions_total: { type: 'counter', labels: ['kind', 'command', 'subcommand', 'outcome'] },
	kaltura_bot_interaction_duration_seconds: { type: 'histogram', labels: ['kind', 'command', 'outcome'] },
	kaltura_bot_discord_requests_total: { type: 'counter', labels: ['method', 'route', 'status'] },
	kaltura_bot_discord_rate_limits_total: { type: 'counter', labels: ['route', 'global'] },
	kaltura_bot_discord_invalid_requests: { type: 'gauge', labels: [] },
	kaltura_bot_kaltura_calls_total: { type: 'counter', labels: ['action', 'outcome'] },
	kaltura_bot_kaltura_call_duration_seconds: { type: 'histogram', labels: ['action'] },
	kaltura_bot_kaltura_sessions_total: { type: 'counter', labels: ['result'] },
	kaltura_bot_webhooks_total: { type: 'counter', labels: ['type', 'outcome'] },
	kaltura_bot_webhook_signature_failures_total: { type: 'counter', labels: [] },
	kaltura_bot_outbox_deliveries: { type: 'gauge', labels: ['status'] },
	kaltura_bot_delivery_lag_seconds: { type: 'histogram', labels: [] },
	kaltura_bot_user_sync_passes_total: { type: 'counter', labels: ['result'] },
	kaltura_bot_user_sync_pass_duration_seconds: { type: 'histogram', labels: [] },
	kaltura_bot_storage_up: { type: 'gauge', labels: ['store'] },
	kaltura_bot_meetings_started_total: { type: 'counter', labels: ['type'] },
	kaltura_bot_meeting_joins_total: { type: 'counter', labels: [] },
	kaltura_bot_videos_searched_total: { type: 'counter', labels: [] },
	kaltura_bot_videos_shared_total: { type: 'counter', labels: [] },
	kaltura_bot_notifications_delivered_total: { type: 'counter', labels: [] },
	kaltura_bot_plugin_enabled_guilds: { type: 'gauge', labels: ['plugin'] }
};

/** prom-client's default metrics (process_*, nodejs_*), exported under the same prefix. */
export const DEFAULT_METRIC_PATTERN = /^kaltura_bot_(process|nodejs)_[a-z0-9_]+$/;

/** Prometheus's own series for the scrape of the bot (job "kaltura-bot"). */
export const SCRAPE_METRICS: readonly string[] = ['up'];

/** Labels every scraped series carries besides its own. */
export const TARGET_LABELS: readonly string[] = ['job', 'instance'];

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'] as const;

/** The contract entry behind a series name, counting a histogram's _bucket, _sum and _count series. */
export function contractMetricOf(series: string): { name: string; metric: ContractMetric } | undefined {
	const direct = CONTRACT_METRICS[series];
	if (direct !== undefined) return { name: series, metric: direct };
	for (const suffix of HISTOGRAM_SUFFIXES) {
		if (!series.endsWith(suffix)) continue;
		const name = series.slice(0, -suffix.length);
		const metric = CONTRACT_METRICS[name];
		if (metric?.type === 'histogram') return { name, metric };
	}
	return undefined;
}

/** True when the bot's scrape can yield a series of this name. */
export const isContractSeries = (series: string): boolean =>
	contractMetricOf(series) !== undefined || DEFAULT_METRIC_PATTERN.test(series) || SCRAPE_METRICS.includes(series);
