import type { HarnessResponse } from './http.js';

/**
 * Server errors Discord's REST API answers now and then. discord-api-docs,
 * docs/topics/opcodes-and-status-codes.md (HTTP Response Codes): "502 (GATEWAY UNAVAILABLE) There was not a
 * gateway available to process your request. Wait a bit and retry." and "5xx (SERVER ERROR) The server had
 * an error processing your request". The bodies are Discord's generic JSON error (`code` 0), as the stand-in
 * already answers its own internal errors.
 */
export type RestFaultStatus = 500 | 502 | 503;

const MESSAGES: Record<RestFaultStatus, string> = {
	500: '500: Internal Server Error',
	502: '502: Bad Gateway',
	503: '503: Service Unavailable'
};

export interface RestFaultInput {
	method: string;
	/** A route template as the stand-in's routes name them, e.g. `/guilds/:guild_id/members/:user_id`. */
	route: string;
	status: RestFaultStatus;
	/** How many matching requests fail; unset, every one until `clear()`. */
	times?: number;
}

interface RestFault extends RestFaultInput {
	remaining: number;
}

/** Makes chosen REST routes answer with a server error instead of running (tests: `discord.restFaults.fail(...)`). */
export class RestFaults {
	readonly #faults: RestFault[] = [];

	public fail(input: RestFaultInput): void {
		this.#faults.push({ ...input, remaining: input.times ?? Number.POSITIVE_INFINITY });
	}

	public clear(): void {
		this.#faults.length = 0;
	}

	/** The error to answer a request with, if a fault covers it (counting it down). */
	public take(method: string, route: string): HarnessResponse | undefined {
		const fault = this.#faults.find((entry) => entry.method === method && entry.route === route && entry.remaining > 0);
		if (fault === undefined) return undefined;
		fault.remaining -= 1;
		return { status: fault.status, body: { message: MESSAGES[fault.status], code: 0 } };
	}
}
