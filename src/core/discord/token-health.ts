import { Events, GatewayCloseCodes, RESTEvents, type Client } from 'discord.js';
import type { ReadinessCheck } from '../readiness.js';

/** What `/api/v1/ready` and the log say once Discord refused the bot token; it names no token. */
export const TOKEN_REFUSED_REASON = 'Discord refused the bot token (401); set a valid DISCORD_TOKEN and restart';

interface ErrorLogger {
	error(message: string): void;
}

/**
 * Whether Discord still accepts the bot token. A token that was reset or revoked in the developer portal is
 * answered on REST with 401 `{"message": "401: Unauthorized", "code": 0}` (discord-api-docs
 * developers/topics/opcodes-and-status-codes.mdx, HTTP 401 and JSON code 0) and on the gateway with close code
 * 4004 "Authentication failed", after which a client must not reconnect (same page). @discordjs/rest then drops
 * the token from the REST instance (packages/rest/src/lib/handlers/Shared.ts, `handleErrors`: `setToken(null)`
 * on a 401 to an authenticated request), so every later authenticated call fails with "Expected token to be set
 * for this request" before leaving the process: nothing gets better until the process starts again with a valid
 * token. Discord also counts each 401 towards the invalid-request limit (10,000 per 10 minutes per IP, then a
 * temporary ban) and asks clients to stop making requests once a token is invalid (developers/topics/rate-limits.mdx,
 * "Invalid Request Limit"); parts that send on their own (the notifications outbox) stop when told here.
 *
 * Refusal is noticed once per process: one error in the log, whatever the number of calls that fail after it.
 */
export class DiscordTokenHealth {
	#refused = false;
	readonly #listeners = new Set<() => void>();

	public constructor(private readonly logger: ErrorLogger) {}

	public get refused(): boolean {
		return this.#refused;
	}

	/** Marks the token refused; the first call logs the one error line and tells every listener. */
	public refuse(): void {
		if (this.#refused) return;
		this.#refused = true;
		this.logger.error(`${TOKEN_REFUSED_REASON}. Every call to Discord fails until then; notifications wait in the outbox.`);
		for (const listener of this.#listeners) {
			try {
				listener();
			} catch {
				// A listener's failure must not keep the others from hearing it.
			}
		}
	}

	/** Calls `listener` once when the token is refused (at once if it already was); returns the unsubscribe. */
	public onRefused(listener: () => void): () => void {
		if (this.#refused) {
			listener();
			return () => undefined;
		}
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** `checks.discord_token` of `/api/v1/ready`, with the reason to fix it while it fails. */
	public readinessCheck(): ReadinessCheck {
		return { name: 'discord_token', check: () => Promise.resolve(!this.#refused), reason: () => TOKEN_REFUSED_REASON };
	}

	/**
	 * Watches a client's REST answers and gateway closes. Only 401s to authenticated requests count: interaction
	 * callbacks and webhook-token routes go without the bot token (`auth: false`) and have 401s of their own
	 * (50027 Invalid Webhook Token) that say nothing about it.
	 */
	public watch(client: Client): this {
		client.rest.on(RESTEvents.Response, (request, response) => {
			// Only the status is read: in Node the event's response shares its body with the one discord.js reads.
			if (response.status === 401 && request.data.auth) this.refuse();
		});
		client.on(Events.ShardDisconnect, (event) => {
			if (event.code === GatewayCloseCodes.AuthenticationFailed) this.refuse();
		});
		return this;
	}
}

const healthOfClient = new WeakMap<Client, DiscordTokenHealth>();

/** Starts watching `client` (once per client) and returns its token health. */
export function watchDiscordToken(client: Client, logger: ErrorLogger): DiscordTokenHealth {
	let health = healthOfClient.get(client);
	if (health === undefined) {
		health = new DiscordTokenHealth(logger).watch(client);
		healthOfClient.set(client, health);
	}
	return health;
}

/** The token health of a client, once the core watches it (undefined in tests that build bare clients). */
export function discordTokenHealthOf(client: Client): DiscordTokenHealth | undefined {
	return healthOfClient.get(client);
}
