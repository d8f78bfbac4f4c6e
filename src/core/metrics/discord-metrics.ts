import { Events, Status, type Client } from 'discord.js';
import { defineCounter, defineGauge, metricsRecording } from './instruments.js';
import { metricRoute } from './metric-labels.js';

/** Discord bans an IP for an hour after 10,000 answers of 401, 403 or 429 (its "shared" 429s aside) within 10 minutes. */
const INVALID_REQUEST_WINDOW_MS = 10 * 60 * 1000;

const discordRequests = defineCounter({
	name: 'discord_requests_total',
	help: 'Requests to the Discord REST API, by method, route template (ids stripped) and status',
	labelNames: ['method', 'route', 'status']
});
const discordRateLimits = defineCounter({
	name: 'discord_rate_limits_total',
	help: 'Requests discord.js held back for a rate limit, by route template and whether the limit was the global one',
	labelNames: ['route', 'global']
});
const reconnects = defineCounter({ name: 'gateway_reconnects_total', help: 'Gateway reconnections, by shard', labelNames: ['shard'] });
const resumes = defineCounter({ name: 'gateway_resumes_total', help: 'Gateway sessions resumed, by shard', labelNames: ['shard'] });

/** Route labels kept, at most; past that the cache starts over (a bot in many guilds sees a route per channel). */
const ROUTE_LABELS_KEPT = 1_000;

/** Each REST route's label, worked out once per route rather than by two regular expressions at every answer. */
class RouteLabels {
	readonly #labels = new Map<string, string>();

	public of(route: string): string {
		let label = this.#labels.get(route);
		if (label === undefined) {
			if (this.#labels.size >= ROUTE_LABELS_KEPT) this.#labels.clear();
			label = metricRoute(route);
			this.#labels.set(route, label);
		}
		return label;
	}
}

/** Times of invalid answers (401, 403, 429) in the current window, oldest first. */
class InvalidRequestWindow {
	readonly #times: number[] = [];

	/** Expired times go as new ones come, so the list stays one window long even when nothing scrapes (the plugin off). */
	public add(now = Date.now()): void {
		this.#times.push(now);
		this.count(now);
	}

	public count(now = Date.now()): number {
		const start = now - INVALID_REQUEST_WINDOW_MS;
		while (this.#times.length > 0 && (this.#times[0] ?? now) <= start) this.#times.shift();
		return this.#times.length;
	}
}

/** Whether Discord counts this answer towards its invalid-request limit (discord.js's own rule, @discordjs/rest handlers/Shared.ts). */
function countsAsInvalid(response: { readonly status: number; readonly headers: { get(name: string): string | null } }): boolean {
	if (response.status === 401 || response.status === 403) return true;
	return response.status === 429 && response.headers.get('x-ratelimit-scope') !== 'shared';
}

/**
 * Records what the bot's Discord client does: REST requests and rate limits (from @discordjs/rest's events), and the gateway
 * (shard events; ping, connection and guild count read at each scrape). Listeners cost one boolean check while metrics are off.
 */
export function recordDiscordMetrics(client: Client): void {
	const invalid = new InvalidRequestWindow();
	const routes = new RouteLabels();
	client.rest.on('response', (request, response) => {
		if (metricsRecording()) discordRequests.inc({ method: request.method, route: routes.of(request.route), status: String(response.status) });
		// Counted while not recording too, so that the window is whole when recording starts.
		if (countsAsInvalid(response)) invalid.add();
	});
	client.rest.on('rateLimited', (info) => discordRateLimits.inc({ route: routes.of(info.route), global: String(info.global) }));
	client.on(Events.ShardReconnecting, (shard) => reconnects.inc({ shard: String(shard) }));
	client.on(Events.ShardResume, (shard) => resumes.inc({ shard: String(shard) }));

	defineGauge({
		name: 'discord_invalid_requests',
		help: 'Answers of 401, 403 or 429 from Discord in the last 10 minutes (Discord bans the IP at 10,000)',
		collect: (gauge) => gauge.set(invalid.count())
	});
	defineGauge({
		name: 'gateway_ping_seconds',
		help: 'Latest gateway heartbeat round trip, by shard',
		labelNames: ['shard'],
		collect: (gauge) => {
			gauge.reset();
			for (const [id, shard] of client.ws.shards) if (shard.ping >= 0) gauge.set({ shard: String(id) }, shard.ping / 1000);
		}
	});
	defineGauge({
		name: 'gateway_connected',
		help: '1 while the shard is connected and ready, 0 otherwise',
		labelNames: ['shard'],
		collect: (gauge) => {
			gauge.reset();
			for (const [id, shard] of client.ws.shards) gauge.set({ shard: String(id) }, shard.status === Status.Ready ? 1 : 0);
		}
	});
	defineGauge({ name: 'guilds', help: 'Guilds the bot is in', collect: (gauge) => gauge.set(client.guilds.cache.size) });
}
