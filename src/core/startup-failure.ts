import { errorField } from './errors/error-fields.js';

/**
 * A start-up step that failed, told the way an operator can act on it: what the bot was doing, what it
 * tried to reach (a URL, host or path, never a credential) and what to check. `npm start` prints it
 * instead of the bare error of a driver ("getaddrinfo ENOTFOUND discord.com" says neither).
 */
export class StartupFailure extends Error {
	public constructor(
		/** What the bot was doing, as a phrase: "connecting to Discord's REST API". */
		public readonly step: string,
		/** What it tried to reach, without any secret in it. */
		public readonly target: string,
		/** What to check, in words an operator can follow. */
		public readonly advice: string,
		cause: unknown
	) {
		super(`${step} failed.\n  Tried: ${target}\n  Error: ${messageOf(cause)}\n  Check: ${advice}`, { cause });
		this.name = 'StartupFailure';
	}
}

export interface StartupStep {
	readonly step: string;
	readonly target: string;
	/** What to check; may depend on the error (a refused connection and an unknown host call for different checks). */
	readonly advice: (error: unknown) => string;
}

/** Runs one start-up step; its failure becomes a {@link StartupFailure} naming the step. */
export async function startupStep<Result>(step: StartupStep, run: () => Promise<Result>): Promise<Result> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof StartupFailure) throw error;
		throw new StartupFailure(step.step, step.target, step.advice(error), error);
	}
}

/** The error's own message, or its code when it has none (node-redis and undici sometimes throw empty ones). */
export function messageOf(error: unknown): string {
	if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(messageOf).join('; ');
	if (error instanceof Error) return error.message || errorCode(error) || error.name;
	return String(error);
}

/** The system or library code of an error or of any error in its cause chain (`fetch failed` hides it in `cause`). */
export function errorCode(error: unknown): string | undefined {
	for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth += 1) {
		const code = errorField(current, 'code');
		if (typeof code === 'string' || typeof code === 'number') return String(code);
		if (current instanceof AggregateError && current.errors.length > 0) return errorCode(current.errors[0]);
		current = errorField(current, 'cause');
	}
	return undefined;
}

/** The host[:port] and the bare host name of a URL, for advice that names where a connection went. */
export function hostOf(url: string): { host: string; hostname: string } {
	try {
		const parsed = new URL(url);
		return { host: parsed.host, hostname: parsed.hostname };
	} catch {
		return { host: url, hostname: url };
	}
}

/**
 * What to check when a connection to `url` failed, by the kind of failure. `setting` names the
 * variable that holds the address, so the operator knows where to correct it.
 */
export function networkAdvice(error: unknown, url: string, setting: string): string {
	const { host, hostname } = hostOf(url);
	switch (errorCode(error)) {
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'EAI_FAIL':
			return `the name ${hostname} does not resolve: check ${setting} for a typo, then this machine's DNS (/etc/resolv.conf, the container's DNS settings) and that it may resolve outside names at all`;
		case 'ECONNREFUSED':
			return `nothing accepts connections at ${host}: check the host and port in ${setting}, and that the service runs there`;
		case 'ETIMEDOUT':
		case 'ENETUNREACH':
		case 'EHOSTUNREACH':
		case 'ECONNRESET':
		case 'UND_ERR_CONNECT_TIMEOUT':
		case 'UND_ERR_SOCKET':
		case 'ABORT_ERR':
			return `the connection to ${host} does not get through: check the firewall and any proxy between this machine and ${host}, and ${setting}`;
		case 'SELF_SIGNED_CERT_IN_CHAIN':
		case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
		case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
		case 'DEPTH_ZERO_SELF_SIGNED_CERT':
		case 'CERT_HAS_EXPIRED':
		case 'ERR_TLS_CERT_ALTNAME_INVALID':
			return `the TLS certificate of ${host} is not trusted: a proxy that inspects HTTPS needs its CA certificate in NODE_EXTRA_CA_CERTS; otherwise check ${setting}`;
		default:
			return `that ${host} is reachable from this machine (DNS, proxy, firewall), and ${setting}`;
	}
}

/** The HTTP API could not listen: the port is taken, privileged, or the host is not this machine's. */
export function httpApiStep(host: string, port: number): StartupStep {
	return {
		step: 'Opening the HTTP API',
		target: `http://${host}:${port}/api/v1`,
		advice: (error) => {
			switch (errorCode(error)) {
				case 'EADDRINUSE':
					return `another process already listens on port ${port} (see which with \`ss -ltnp 'sport = :${port}'\`): stop it, or set API_PORT to a free port`;
				case 'EACCES':
					return `port ${port} needs privileges this user lacks: set API_PORT to 1024 or more`;
				case 'EADDRNOTAVAIL':
				case 'ENOTFOUND':
				case 'EAI_AGAIN':
					return `API_HOST ${host} is not an address of this machine: use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`;
				default:
					return `API_HOST and API_PORT`;
			}
		}
	};
}

/** The key/value store (guild settings, command registrations, API token revocations) did not answer. */
export function keyvStorageStep(
	backend: { kind: 'memory' } | { kind: 'sqlite'; file: string } | { kind: 'redis'; url: string; display: string }
): StartupStep {
	switch (backend.kind) {
		case 'sqlite':
			return {
				step: 'Opening the SQLite data file',
				target: backend.file,
				advice: () =>
					"that DATA_DIR is a directory the bot's user can create and write (its owner and permissions, a read-only mount, a full disk), and that keyv.sqlite in it is a SQLite file"
			};
		case 'redis':
			return {
				step: 'Connecting to Redis',
				target: backend.display,
				advice: (error) => `${networkAdvice(error, backend.url, 'REDIS_URL')}; if Redis asks for a password, REDIS_URL must carry it`
			};
		case 'memory':
			return { step: 'Opening the in-memory store', target: 'memory', advice: () => 'nothing outside the process: report this as a bug' };
	}
}

/**
 * Logging in to Discord: first a REST call (`GET /gateway/bot`) that checks the token and returns the
 * gateway's address, then the gateway's WebSocket. `gateway` is that address once the REST call succeeded,
 * which tells the two apart.
 */
export function discordLoginFailure(error: unknown, rest: { api: string; version: string }, gateway: string | null): StartupFailure {
	const code = errorCode(error);
	const restUrl = `${rest.api}/v${rest.version}/gateway/bot`;
	if (code === 'TokenInvalid' || code === 'TokenMissing') {
		return new StartupFailure(
			'Logging in to Discord',
			`GET ${restUrl}`,
			'DISCORD_TOKEN: Discord refused it. Copy the bot token again from the developer portal (your application → Bot → Reset Token); a client secret or an OAuth2 token will not do',
			error
		);
	}
	// discord.js names it by code; @discordjs/ws, on close code 4014, only by message.
	if (code === 'DisallowedIntents' || code === '4014' || /disallowed intents/i.test(messageOf(error))) {
		return new StartupFailure(
			"Connecting to Discord's gateway",
			gateway ?? restUrl,
			'DISCORD_PRIVILEGED_INTENTS: every intent listed there must also be switched on for the bot in the developer portal (your application → Bot → Privileged Gateway Intents)',
			error
		);
	}
	const setting = 'DISCORD_API_URL (if set; unset means https://discord.com/api)';
	if (gateway !== null) {
		return new StartupFailure(
			"Connecting to Discord's gateway",
			gateway,
			networkAdvice(error, gateway, 'that WebSocket (wss://) connections may leave this machine'),
			error
		);
	}
	const status = errorField(error, 'status');
	const advice =
		typeof status === 'number'
			? `${setting}: the server answered HTTP ${status}, so it is reachable but did not answer as Discord's API does`
			: networkAdvice(error, rest.api, setting);
	return new StartupFailure("Connecting to Discord's REST API", `GET ${restUrl}`, advice, error);
}
