import { Route, type ApiRequest, type ApiResponse, type MethodName } from '@sapphire/plugin-api';
import type { Awaitable } from '@sapphire/framework';
import { GUILD_MANAGE_SCOPE, type ApiTokenClaims } from '../auth/api-tokens.js';
import { DiscordUnavailableError, type GuildRightsVerdict } from '../auth/manage-server-check.js';
import { currentLogContext, requestLogContext, runWithLogContext } from '../logging/log-context.js';
import { CORE_OWNER } from '../plugins/plugin-registry.js';
import { UserFacingError } from '../errors/user-facing-error.js';
import { ApiError, INTERNAL_ERROR, sendApiError } from './api-error.js';
import { deprecationHeaders, type ApiVersion } from './api-versions.js';

export interface ApiRouteOptions {
	readonly version: ApiVersion;
	/** Path below `/api/v<version>/`, with `[param]` segments. Use `guildId` for a guild's id in every route: plugin-api's router shares param names between sibling routes. */
	readonly path: string;
	readonly methods: readonly MethodName[];
	readonly name?: string;
	/** False keeps the route out of the API altogether (Sapphire loads no disabled piece); true when not given. */
	readonly enabled?: boolean;
}

/**
 * A route of the versioned API. Routes set their path explicitly (the core loads pieces virtually,
 * so there is no file path to derive one from) and answer errors as the API's JSON envelope.
 */
export abstract class ApiRoute extends Route {
	public readonly version: ApiVersion;
	public readonly relativePath: string;

	public constructor(context: Route.LoaderContext, options: ApiRouteOptions) {
		super(context, {
			name: options.name,
			enabled: options.enabled,
			methods: [...options.methods],
			route: `v${options.version}/${options.path}`
		});
		this.version = options.version;
		this.relativePath = options.path;
	}

	public override run(request: ApiRequest, response: ApiResponse): Promise<void> {
		// Everything the route does, and logs, carries the id the request-id middleware gave the request.
		return runWithLogContext(requestLogContext(request) ?? {}, () => this.#serveAnswering(request, response));
	}

	async #serveAnswering(request: ApiRequest, response: ApiResponse): Promise<void> {
		for (const [name, value] of Object.entries(deprecationHeaders(this.version, this.relativePath))) response.setHeader(name, value);
		try {
			await this.serve(request, response);
		} catch (error) {
			// The one place the API answers a use case's refusal: its status and sentence; anything else is a bug, kept out of the body.
			if (error instanceof UserFacingError) {
				sendApiError(response, error, error.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
				return;
			}
			this.container.logger.error(`API route ${request.method ?? ''} ${this.relativePath} failed:`, error);
			sendApiError(response, INTERNAL_ERROR);
		}
	}

	protected abstract serve(request: ApiRequest, response: ApiResponse): Awaitable<unknown>;
}

/** A route anyone may call: health and readiness probes, webhooks that carry their own signature. */
export abstract class PublicApiRoute extends ApiRoute {
	protected override serve(request: ApiRequest, response: ApiResponse): Awaitable<unknown> {
		return this.handle(request, response);
	}

	protected abstract handle(request: ApiRequest, response: ApiResponse): Awaitable<unknown>;
}

export interface GuildRequestContext {
	readonly guildId: string;
	readonly claims: ApiTokenClaims;
}

export interface GuildApiRouteOptions extends ApiRouteOptions {
	/** The token scope the route needs; every guild route needs at least one. */
	readonly scope?: string;
}

/** Why a token whose holder lost their rights is refused, for the API's users. */
const RIGHTS_GONE: Record<Exclude<GuildRightsVerdict, { allowed: true }>['reason'], string> = {
	'bot-not-in-guild': 'The bot is no longer in this server, so its tokens no longer work here.',
	'not-a-member': 'The user this token was issued to is no longer a member of this server.',
	'missing-permission': 'The user this token was issued to no longer has the Manage Server permission in this server.',
	'timed-out':
		'The user this token was issued to is timed out in this server, and Discord suspends their Manage Server permission until the timeout ends.'
};

/**
 * A route under `/guilds/[guildId]/`: needs a bearer JWT issued for that guild with the route's scope
 * (401 without a valid token or a revoked one, 403 for another guild, a guild outside ALLOWED_GUILD_IDS
 * or a missing scope), whose user still holds Manage Server there (403 when not, 503 when Discord cannot
 * be asked), and, when a plugin owns the route, that plugin switched on in the guild.
 */
export abstract class GuildApiRoute extends ApiRoute {
	public readonly scope: string;

	public constructor(context: Route.LoaderContext, options: GuildApiRouteOptions) {
		super(context, options);
		if (!options.path.startsWith('guilds/[guildId]')) throw new TypeError(`Guild route ${options.path} must start with guilds/[guildId]`);
		this.scope = options.scope ?? GUILD_MANAGE_SCOPE;
	}

	protected override async serve(request: ApiRequest, response: ApiResponse): Promise<unknown> {
		const claims = this.#authenticate(request);
		const guildId = request.params.guildId ?? '';
		if (claims.guild_id !== guildId) throw new ApiError(403, 'forbidden', 'This token was not issued for this guild.');
		await this.#assertGuildAllowed(guildId, claims);
		if (!claims.scope.includes(this.scope)) throw new ApiError(403, 'forbidden', `This token lacks the "${this.scope}" scope.`);
		await this.#assertNotRevoked(claims);
		await this.#assertRightsHeld(guildId, claims);

		const owner = this.container.plugins.ownerOf('routes', this.name);
		if (owner !== undefined && owner !== CORE_OWNER) {
			const config = await this.container.guildConfig.resolve(guildId);
			if (!this.container.guildConfig.isPluginEnabled(config, owner)) {
				throw new ApiError(403, 'plugin_disabled', `The "${owner}" plugin is turned off in this guild.`);
			}
		}
		// The guild joins the log context only once the token has proved it: the path alone is anyone's text.
		return runWithLogContext({ ...currentLogContext(), guildId }, () => this.handle(request, response, { guildId, claims }));
	}

	protected abstract handle(request: ApiRequest, response: ApiResponse, context: GuildRequestContext): Awaitable<unknown>;

	/** The operator's list of served guilds bounds every token, whoever issued it and whenever. */
	async #assertGuildAllowed(guildId: string, claims: ApiTokenClaims): Promise<void> {
		const allowed = this.container.env.ALLOWED_GUILD_IDS;
		if (allowed === undefined || allowed.includes(guildId)) return;
		await this.container.audit.record({
			guildId,
			actorId: claims.sub,
			source: 'api',
			action: 'policy.refused',
			target: this.relativePath,
			outcome: 'refused',
			detail: 'This server is not in ALLOWED_GUILD_IDS.'
		});
		throw new ApiError(403, 'guild_not_allowed', 'The bot is not set up to serve this server (it is not in the operator’s ALLOWED_GUILD_IDS).');
	}

	async #assertNotRevoked(claims: ApiTokenClaims): Promise<void> {
		let revoked: boolean;
		try {
			revoked = await this.container.tokenRevocations.isRevoked(claims);
		} catch (error) {
			// A token that cannot be checked is not accepted.
			this.container.logger.warn(`API token revocations could not be read: ${error instanceof Error ? error.message : String(error)}`);
			throw new ApiError(503, 'storage_unavailable', 'Whether this token was revoked cannot be checked right now; try again shortly.');
		}
		if (revoked) throw new ApiError(401, 'unauthorized', 'The bearer token was refused (token revoked).');
	}

	/** A token carries its user's rights and dies with them: asked of Discord on every request, never assumed. */
	async #assertRightsHeld(guildId: string, claims: ApiTokenClaims): Promise<void> {
		let verdict: GuildRightsVerdict;
		try {
			verdict = await this.container.guildRights.check(guildId, claims.sub);
		} catch (error) {
			if (!(error instanceof DiscordUnavailableError)) throw error;
			this.container.logger.warn(
				`Discord could not be asked whether user ${claims.sub} still manages guild ${guildId}: ${describeCause(error)}`
			);
			throw new ApiError(
				503,
				'discord_unavailable',
				'Discord could not be asked whether this token’s user still has Manage Server here; try again shortly.'
			);
		}
		if (!verdict.allowed) throw new ApiError(403, 'forbidden', RIGHTS_GONE[verdict.reason]);
	}

	#authenticate(request: ApiRequest): ApiTokenClaims {
		const header = request.headers.authorization;
		const token = typeof header === 'string' ? /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/.exec(header.trim())?.[1] : undefined;
		if (token === undefined) throw new ApiError(401, 'unauthorized', 'Send a bearer token: "Authorization: Bearer <token>".');
		const verification = this.container.apiTokens.verify(token);
		if (!verification.ok) throw new ApiError(401, 'unauthorized', `The bearer token was refused (${verification.reason}).`);
		return verification.claims;
	}
}

function describeCause(error: Error): string {
	const cause = error.cause;
	return cause instanceof Error ? cause.message : String(cause ?? error.message);
}
