import { createHash } from 'node:crypto';
import type { RESTRateLimit } from 'discord-api-types/v10';

/** `limit` requests per fixed window of `windowMs`, the window opening at the first request. */
export interface LimitWindow {
	limit: number;
	windowMs: number;
}

export interface RouteRateLimitRule extends LimitWindow {
	method: string | '*';
	/** Route template as the stand-in's router spells it, e.g. `/channels/:channel_id/messages`. */
	route: string;
	/** Routes naming the same bucket share one counter (per major parameter). */
	bucket?: string;
}

export interface RateLimitConfig {
	/** Per-bot global limit (Discord: 50 requests per second); `false` disables it. */
	global: LimitWindow | false;
	/** Limit of every route no rule names. */
	defaultRoute: LimitWindow;
	/** Route rules; the first match wins. */
	routes: RouteRateLimitRule[];
	/**
	 * How the `Retry-After` header is written. Discord writes whole seconds rounded up
	 * (`'ceil-seconds'`, the default); `'exact'` writes fractional seconds, which lets
	 * scaled-down test windows be waited out quickly. The body's `retry_after` is always
	 * fractional.
	 */
	retryAfter: 'ceil-seconds' | 'exact';
}

export const DISCORD_GLOBAL_LIMIT: LimitWindow = { limit: 50, windowMs: 1_000 };
export const DISCORD_MESSAGE_CREATE_LIMIT: LimitWindow = { limit: 5, windowMs: 5_000 };
export const MESSAGE_CREATE_ROUTE = '/channels/:channel_id/messages';

export function defaultRateLimitConfig(): RateLimitConfig {
	return {
		global: { ...DISCORD_GLOBAL_LIMIT },
		defaultRoute: { limit: 50, windowMs: 1_000 },
		routes: [{ method: 'POST', route: MESSAGE_CREATE_ROUTE, ...DISCORD_MESSAGE_CREATE_LIMIT }],
		retryAfter: 'ceil-seconds'
	};
}

export interface RateLimitRequest {
	method: string;
	route: string;
	params: Readonly<Record<string, string>>;
	/** Interaction endpoints are not bound to the global limit. */
	exemptFromGlobal: boolean;
}

export interface RateLimitDecision {
	allowed: boolean;
	/** Headers for the response (bucket headers always; 429 headers when not allowed). */
	headers: Record<string, string>;
	/** The 429 body when not allowed. */
	body?: RESTRateLimit;
	global?: boolean;
}

/** One 429 the stand-in sent. */
export interface RateLimitHit {
	at: number;
	method: string;
	route: string;
	bucket: string;
	majorParameter: string;
	global: boolean;
	scope: 'user' | 'global';
	retryAfterMs: number;
}

export interface RateLimitStats {
	total: number;
	global: number;
	route: number;
	/** 429s per `"METHOD /route"` (global ones under `"global"`). */
	byRoute: Record<string, number>;
	/** 429s per `"<bucket hash>:<major parameter>"`. */
	byBucket: Record<string, number>;
	hits: RateLimitHit[];
}

interface Window {
	count: number;
	resetAt: number;
}

/**
 * Discord's REST rate limiting: a global per-bot window, then per-route buckets keyed by
 * bucket hash and major parameter (channel, guild or webhook id+token). Requests rejected
 * with 429 do not consume either counter. Uses real time (`Date.now()`).
 */
export class RateLimiter {
	#config: RateLimitConfig;
	readonly #windows = new Map<string, Window>();
	#globalWindow: Window | undefined;
	readonly #hits: RateLimitHit[] = [];

	public constructor(config: RateLimitConfig = defaultRateLimitConfig()) {
		this.#config = config;
	}

	public get config(): Readonly<RateLimitConfig> {
		return this.#config;
	}

	/** Changes limits at runtime; open windows are reset. */
	public configure(patch: Partial<RateLimitConfig>): void {
		this.#config = { ...this.#config, ...patch };
		this.#windows.clear();
		this.#globalWindow = undefined;
	}

	/** Closes every window and forgets every recorded 429. */
	public reset(): void {
		this.#windows.clear();
		this.#globalWindow = undefined;
		this.#hits.length = 0;
	}

	public check(request: RateLimitRequest): RateLimitDecision {
		const now = Date.now();
		const rule = this.ruleFor(request.method, request.route);
		const bucketKey = rule.bucket ?? `${request.method} ${request.route}`;
		const hash = bucketHash(bucketKey);
		const major = majorParameterOf(request.params);
		const windowKey = `${hash}:${major}`;
		const window = this.openWindow(this.#windows.get(windowKey), rule, now);
		this.#windows.set(windowKey, window);

		const headers = bucketHeaders(rule, window, hash, now);

		const global = this.#config.global;
		if (global && !request.exemptFromGlobal) {
			const globalWindow = this.openWindow(this.#globalWindow, global, now);
			this.#globalWindow = globalWindow;
			if (globalWindow.count >= global.limit) {
				const retryAfterMs = globalWindow.resetAt - now;
				this.record({ request, hash, major, global: true, retryAfterMs, now });
				return {
					allowed: false,
					global: true,
					headers: {
						...headers,
						'Retry-After': this.formatRetryAfter(retryAfterMs),
						'X-RateLimit-Global': 'true',
						'X-RateLimit-Scope': 'global'
					},
					body: { message: 'You are being rate limited.', retry_after: seconds(retryAfterMs), global: true }
				};
			}
		}

		if (window.count >= rule.limit) {
			const retryAfterMs = window.resetAt - now;
			this.record({ request, hash, major, global: false, retryAfterMs, now });
			return {
				allowed: false,
				global: false,
				headers: {
					...headers,
					'Retry-After': this.formatRetryAfter(retryAfterMs),
					'X-RateLimit-Scope': 'user'
				},
				body: { message: 'You are being rate limited.', retry_after: seconds(retryAfterMs), global: false }
			};
		}

		window.count += 1;
		if (global && !request.exemptFromGlobal && this.#globalWindow) this.#globalWindow.count += 1;
		return { allowed: true, headers: bucketHeaders(rule, window, hash, now) };
	}

	public stats(): RateLimitStats {
		const byRoute: Record<string, number> = {};
		const byBucket: Record<string, number> = {};
		let global = 0;
		for (const hit of this.#hits) {
			if (hit.global) global += 1;
			const routeKey = hit.global ? 'global' : `${hit.method} ${hit.route}`;
			byRoute[routeKey] = (byRoute[routeKey] ?? 0) + 1;
			const bucketKey = `${hit.bucket}:${hit.majorParameter}`;
			byBucket[bucketKey] = (byBucket[bucketKey] ?? 0) + 1;
		}
		return {
			total: this.#hits.length,
			global,
			route: this.#hits.length - global,
			byRoute,
			byBucket,
			hits: [...this.#hits]
		};
	}

	public ruleFor(method: string, route: string): LimitWindow & { bucket?: string } {
		for (const rule of this.#config.routes) {
			if ((rule.method === '*' || rule.method === method) && rule.route === route) return rule;
		}
		return this.#config.defaultRoute;
	}

	private openWindow(window: Window | undefined, limit: LimitWindow, now: number): Window {
		if (window && now < window.resetAt) return window;
		return { count: 0, resetAt: now + limit.windowMs };
	}

	private formatRetryAfter(ms: number): string {
		if (this.#config.retryAfter === 'exact') return seconds(ms).toFixed(3);
		return String(Math.max(1, Math.ceil(ms / 1000)));
	}

	private record(input: { request: RateLimitRequest; hash: string; major: string; global: boolean; retryAfterMs: number; now: number }): void {
		this.#hits.push({
			at: input.now,
			method: input.request.method,
			route: input.request.route,
			bucket: input.hash,
			majorParameter: input.major,
			global: input.global,
			scope: input.global ? 'global' : 'user',
			retryAfterMs: input.retryAfterMs
		});
	}
}

function seconds(ms: number): number {
	return Math.max(0, Math.round(ms)) / 1000;
}

function bucketHeaders(limit: LimitWindow, window: Window, hash: string, now: number): Record<string, string> {
	return {
		'X-RateLimit-Limit': String(limit.limit),
		'X-RateLimit-Remaining': String(Math.max(0, limit.limit - window.count)),
		'X-RateLimit-Reset': (window.resetAt / 1000).toFixed(3),
		'X-RateLimit-Reset-After': seconds(window.resetAt - now).toFixed(3),
		'X-RateLimit-Bucket': hash
	};
}

/** An opaque, stable bucket hash, like the ones Discord sends. */
export function bucketHash(key: string): string {
	return createHash('sha1').update(key).digest('hex').slice(0, 32);
}

/** The top-level resource a bucket is counted per (channel, guild, webhook+token, interaction). */
export function majorParameterOf(params: Readonly<Record<string, string>>): string {
	if (params.channel_id) return params.channel_id;
	if (params.guild_id) return params.guild_id;
	if (params.webhook_id) return params.token ? `${params.webhook_id}/${params.token}` : params.webhook_id;
	if (params.interaction_id) return params.interaction_id;
	return 'global';
}
