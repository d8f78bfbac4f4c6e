import { z } from 'zod';

/**
 * The three Discord calls behind the Activity's sign-in (discord-api-docs developers/topics/oauth2.mdx "Authorization
 * Code Grant"; developers/resources/user.mdx "Get Current User"; developers/resources/application.mdx "Get Application
 * Activity Instance"). Every answer is checked before use; nothing secret (code, client secret, tokens) goes into an
 * error message.
 */
export interface DiscordActivityApiOptions {
	/** DISCORD_API_URL, e.g. https://discord.com/api. */
	readonly apiUrl: string;
	readonly clientId: string;
	readonly clientSecret: string;
	readonly botToken: string;
	/** Per call. */
	readonly timeoutMs?: number;
}

/** Discord could not be asked, or answered something unexpected (a 5xx, a timeout, a body of another shape). */
export class DiscordUnreachableError extends Error {}

/**
 * Discord said to wait (429), or refused the bot's OAuth2 client (401 invalid_client): nothing is sent to Discord until
 * `retryAfter` seconds have passed, as every further call would be one more invalid request counted against the bot's
 * IP (discord-api-docs developers/topics/rate-limits.mdx, "Invalid Request Limit").
 */
export class DiscordRateLimitedError extends DiscordUnreachableError {
	public constructor(public readonly retryAfter: number) {
		super(`Discord is not asked for ${retryAfter} s`);
	}
}

/** How long a refused OAuth2 client keeps Discord unasked: the operator's configuration does not fix itself sooner. */
const INVALID_CLIENT_PAUSE_SECONDS = 60;

const tokenSchema = z.object({ access_token: z.string().min(1), token_type: z.string(), expires_in: z.number(), scope: z.string().default('') });
const userSchema = z.object({ id: z.string().regex(/^\d{17,20}$/), username: z.string(), global_name: z.string().nullish() });
const instanceSchema = z.object({
	instance_id: z.string(),
	location: z.object({ channel_id: z.string(), guild_id: z.string().nullish() }),
	users: z.array(z.string())
});

export type DiscordAccessToken = z.output<typeof tokenSchema>;
export type DiscordUser = z.output<typeof userSchema>;
export interface ActivityInstance {
	readonly instanceId: string;
	readonly guildId: string | undefined;
	readonly channelId: string;
	readonly userIds: readonly string[];
}

export class DiscordActivityApi {
	readonly #options: DiscordActivityApiOptions;
	/** Until when (ms) Discord is not asked at all. */
	#pausedUntil = 0;

	public constructor(options: DiscordActivityApiOptions) {
		this.#options = options;
	}

	/** The access token for an authorization code, or undefined when Discord refuses the code (400 invalid_grant). */
	public async exchangeCode(code: string): Promise<DiscordAccessToken | undefined> {
		const body = new URLSearchParams({
			client_id: this.#options.clientId,
			client_secret: this.#options.clientSecret,
			grant_type: 'authorization_code',
			code
		});
		const response = await this.#fetch('/oauth2/token', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body
		});
		if (response.status === 400 || response.status === 401) {
			const error = (await response.json().catch(() => ({}))) as { error?: unknown };
			// invalid_grant: a wrong, used or expired code. Anything else (invalid_client) is the operator's configuration.
			if (error.error === 'invalid_grant') return undefined;
			if (response.status === 401 || error.error === 'invalid_client') this.#pause(INVALID_CLIENT_PAUSE_SECONDS);
			throw new DiscordUnreachableError(
				`Discord refused the OAuth2 client (${String(error.error ?? response.status)}): check DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET`
			);
		}
		return checked(tokenSchema, await this.#json(response, 'the token exchange'), 'the token exchange');
	}

	public async currentUser(accessToken: string): Promise<DiscordUser> {
		const response = await this.#fetch('/users/@me', { headers: { authorization: `Bearer ${accessToken}` } });
		return checked(userSchema, await this.#json(response, 'the current user'), 'the current user');
	}

	/** The instance as Discord sees it now, or undefined when it does not exist (any more). */
	public async activityInstance(instanceId: string): Promise<ActivityInstance | undefined> {
		const path = `/applications/${this.#options.clientId}/activity-instances/${encodeURIComponent(instanceId)}`;
		const response = await this.#fetch(path, { headers: { authorization: `Bot ${this.#options.botToken}` } });
		if (response.status === 404) return undefined;
		const instance = checked(instanceSchema, await this.#json(response, 'the activity instance'), 'the activity instance');
		return {
			instanceId: instance.instance_id,
			guildId: instance.location.guild_id ?? undefined,
			channelId: instance.location.channel_id,
			userIds: instance.users
		};
	}

	async #fetch(path: string, init: RequestInit): Promise<Response> {
		const waiting = Math.ceil((this.#pausedUntil - Date.now()) / 1000);
		if (waiting > 0) throw new DiscordRateLimitedError(waiting);
		let response: Response;
		try {
			response = await fetch(`${this.#options.apiUrl.replace(/\/+$/, '')}/v10${path}`, {
				...init,
				signal: AbortSignal.timeout(this.#options.timeoutMs ?? 5_000)
			});
		} catch (error) {
			throw new DiscordUnreachableError(`Discord could not be reached: ${error instanceof Error ? error.name : 'error'}`, { cause: error });
		}
		if (response.status === 429) throw new DiscordRateLimitedError(this.#pause(await retryAfterOf(response)));
		return response;
	}

	/** Stops asking Discord for `seconds` (or longer, if already paused longer); answers the seconds. */
	#pause(seconds: number): number {
		this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + seconds * 1000);
		return Math.ceil((this.#pausedUntil - Date.now()) / 1000);
	}

	async #json(response: Response, what: string): Promise<unknown> {
		if (!response.ok) throw new DiscordUnreachableError(`Discord answered ${response.status} for ${what}`);
		try {
			return await response.json();
		} catch (error) {
			throw new DiscordUnreachableError(`Discord answered ${what} with a body that is not JSON`, { cause: error });
		}
	}
}

/**
 * The seconds a 429 says to wait: the Retry-After header, else the body's `retry_after` (discord-api-docs
 * developers/topics/rate-limits.mdx, "Exceeding A Rate Limit"); 1 s at least, an hour at most.
 */
async function retryAfterOf(response: Response): Promise<number> {
	let seconds = Number(response.headers.get('retry-after'));
	if (!Number.isFinite(seconds) || seconds <= 0) {
		const body = (await response.json().catch(() => ({}))) as { retry_after?: unknown };
		seconds = typeof body.retry_after === 'number' ? body.retry_after : 1;
	}
	return Math.min(3600, Math.max(1, Math.ceil(seconds)));
}

function checked<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> {
	const result = schema.safeParse(value);
	if (!result.success) throw new DiscordUnreachableError(`Discord answered ${what} with a body of another shape`);
	return result.data;
}
