import { DiscordAPIError, GatewayIntentBits, PermissionFlagsBits, RESTJSONErrorCodes, type Client, type Guild, type GuildMember } from 'discord.js';

/** Whether a user may still act as an admin of a guild through the API, and if not, why. */
export type GuildRightsVerdict =
	| { readonly allowed: true }
	| { readonly allowed: false; readonly reason: 'bot-not-in-guild' | 'not-a-member' | 'missing-permission' | 'timed-out' };

/** Asks whether a user still holds a guild's admin rights; the API asks on every guild request. */
export interface GuildRightsCheck {
	/** Rejects with {@link DiscordUnavailableError} when Discord could not be asked; that is never an answer. */
	check(guildId: string, userId: string): Promise<GuildRightsVerdict>;
}

/** Discord did not answer the question (a 5xx, a rate limit that outlasts the time limit, a timeout, a network error). */
export class DiscordUnavailableError extends Error {
	public constructor(options?: ErrorOptions) {
		super('Discord could not be asked about the member', options);
		this.name = 'DiscordUnavailableError';
	}
}

export interface ManageServerCheckOptions {
	/** How long an answer fetched over REST is reused, so a burst of requests asks Discord once. Default 3 s. */
	readonly cacheTtlMs?: number;
	/** At most this many REST answers are kept; the oldest go first. Default 1,000. */
	readonly cacheSize?: number;
	/** A question Discord has not answered within this long counts as unanswered. Default 5 s. */
	readonly timeoutMs?: number;
	readonly now?: () => number;
}

const ALLOWED: GuildRightsVerdict = { allowed: true };
const NOT_IN_GUILD: GuildRightsVerdict = { allowed: false, reason: 'bot-not-in-guild' };
const NOT_A_MEMBER: GuildRightsVerdict = { allowed: false, reason: 'not-a-member' };
const MISSING_PERMISSION: GuildRightsVerdict = { allowed: false, reason: 'missing-permission' };
const TIMED_OUT: GuildRightsVerdict = { allowed: false, reason: 'timed-out' };

/**
 * Manage Server (or Administrator, or ownership) in a guild, asked of Discord as it is now.
 *
 * The gateway cache answers when it can be trusted: the guild is cached and the bot receives member
 * updates (the privileged GuildMembers intent), so a removed role or a departure reaches the cache as
 * GUILD_MEMBER_UPDATE / GUILD_MEMBER_REMOVE; role permission changes and owner transfers arrive with
 * the Guilds intent the bot always has. Otherwise the member is fetched over REST (and the guild too when
 * this process does not hold it, as with a shard served by another process), and that answer is reused
 * for a few seconds.
 */
export class ManageServerCheck implements GuildRightsCheck {
	readonly #client: Client;
	readonly #ttlMs: number;
	readonly #size: number;
	readonly #timeoutMs: number;
	readonly #now: () => number;
	readonly #answers = new Map<string, { readonly verdict: GuildRightsVerdict; readonly until: number }>();
	readonly #inflight = new Map<string, Promise<GuildRightsVerdict>>();

	public constructor(client: Client, options: ManageServerCheckOptions = {}) {
		this.#client = client;
		this.#ttlMs = options.cacheTtlMs ?? 3_000;
		this.#size = options.cacheSize ?? 1_000;
		this.#timeoutMs = options.timeoutMs ?? 5_000;
		this.#now = options.now ?? Date.now;
	}

	public check(guildId: string, userId: string): Promise<GuildRightsVerdict> {
		const guild = this.#client.guilds.cache.get(guildId);
		// A guild in an outage is cached without its roles; nothing can be concluded from it.
		if (guild !== undefined && !guild.available) return Promise.reject(new DiscordUnavailableError());
		if (guild !== undefined && this.#membersFollowed()) {
			const member = guild.members.cache.get(userId);
			if (member !== undefined && !member.partial) return Promise.resolve(verdictOf(member));
		}

		const key = `${guildId}:${userId}`;
		const answer = this.#answers.get(key);
		if (answer !== undefined && answer.until > this.#now()) return Promise.resolve(answer.verdict);
		const pending = this.#inflight.get(key);
		if (pending !== undefined) return pending;

		const asking = withTimeout(this.#ask(guild, guildId, userId), this.#timeoutMs)
			.then((verdict) => {
				this.#remember(key, verdict);
				return verdict;
			})
			.finally(() => this.#inflight.delete(key));
		this.#inflight.set(key, asking);
		return asking;
	}

	/** Drops every answer fetched over REST. */
	public clear(): void {
		this.#answers.clear();
	}

	/** Without GuildMembers, Discord sends no member updates, so a cached member may hold roles it has lost. */
	#membersFollowed(): boolean {
		return this.#client.options.intents.has(GatewayIntentBits.GuildMembers);
	}

	async #ask(cached: Guild | undefined, guildId: string, userId: string): Promise<GuildRightsVerdict> {
		const followed = this.#membersFollowed();
		try {
			// An uncached guild object is built from the REST answer (roles and owner included) and left out of
			// the gateway cache, which holds only the guilds this process receives events for.
			const guild = cached ?? (await this.#client.guilds.fetch({ guild: guildId, cache: false, force: true }));
			const member = await guild.members.fetch({ user: userId, force: true, cache: followed && cached !== undefined });
			return verdictOf(member);
		} catch (error) {
			if (error instanceof DiscordAPIError) {
				// discord-api-docs, docs/topics/opcodes-and-status-codes.md (JSON error codes): 10004 Unknown Guild and
				// 50001 Missing Access for a guild the bot is not in; 10007 Unknown Member for a user who is not a member.
				if (error.code === RESTJSONErrorCodes.UnknownGuild || error.code === RESTJSONErrorCodes.MissingAccess) return NOT_IN_GUILD;
				if (error.code === RESTJSONErrorCodes.UnknownMember || error.code === RESTJSONErrorCodes.UnknownUser) return NOT_A_MEMBER;
			}
			// 5xx (after discord.js's retries), network errors and anything unexpected: no answer.
			throw new DiscordUnavailableError({ cause: error });
		}
	}

	#remember(key: string, verdict: GuildRightsVerdict): void {
		this.#answers.delete(key);
		this.#answers.set(key, { verdict, until: this.#now() + this.#ttlMs });
		// Maps iterate in insertion order: the first keys are the oldest answers (deleting while iterating a Map is safe).
		for (const oldest of this.#answers.keys()) {
			if (this.#answers.size <= this.#size) break;
			this.#answers.delete(oldest);
		}
	}
}

function verdictOf(member: GuildMember): GuildRightsVerdict {
	// `permissions` is every permission for the owner; `has` counts Administrator as every permission.
	const { permissions } = member;
	if (!permissions.has(PermissionFlagsBits.ManageGuild)) return MISSING_PERMISSION;
	// discord.js leaves timeouts out of `permissions`, but Discord does not: a timed-out member keeps only
	// View Channel and Read Message History until `communication_disabled_until`, unless they own the
	// server or are an Administrator (discord/discord-api-docs, docs/topics/Permissions.md, "Permissions
	// For Timed Out Members"; docs/resources/Guild.md, guild member `communication_disabled_until`).
	// `permissions` is all of them for the owner, so one Administrator check covers both exemptions.
	if (member.isCommunicationDisabled() && !permissions.has(PermissionFlagsBits.Administrator)) return TIMED_OUT;
	return ALLOWED;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new DiscordUnavailableError({ cause: new Error(`no answer within ${timeoutMs} ms`) })), timeoutMs);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
