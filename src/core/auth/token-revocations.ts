import type Keyv from 'keyv';
import type { InvalidationBus } from '../storage/invalidation-bus.js';
import { MAXIMUM_TOKEN_LIFETIME_SECONDS, type ApiTokenClaims } from './api-tokens.js';

export const REVOCATION_INVALIDATION_CHANNEL = 'api-token-revocations:invalidate';

/** What the store remembers of an issued token, so an admin can revoke it by id and be told when the id is wrong. */
export interface IssuedToken {
	readonly guildId: string;
	readonly userId: string;
	/** Seconds since the epoch, as the token's `exp`. */
	readonly exp: number;
}

/** Stored under `guild:<id>`: tokens of that guild issued in or before this second are revoked. */
type NotBefore = number;
/** Stored under `jti:<jti>`: that one token is revoked. */
interface RevokedToken {
	readonly guildId: string;
	readonly revokedBy: string;
	readonly at: number;
}
type StoredValue = IssuedToken | NotBefore | RevokedToken;

export interface TokenRevocationsOptions {
	readonly store: Keyv<StoredValue>;
	readonly bus: InvalidationBus;
	/**
	 * A cached answer is read again from the store after this long. Invalidation messages are hints: an
	 * instance whose bus connection was down when a revocation was published never hears it, so how long
	 * it may still accept a revoked token needs a bound. Default 15 s.
	 */
	readonly maximumStalenessMs?: number;
	/** Cached answers kept at most (one per token seen and one per guild); the oldest go first. Default 10,000. */
	readonly cacheSize?: number;
	readonly now?: () => number;
}

/**
 * Revoked API tokens: every token of a guild issued up to a moment ("not before"), or one token by its
 * `jti`. Kept in Keyv (Redis or the SQLite file), each entry expiring when the last token it covers would
 * have, and read through an in-process cache that a revocation on any instance invalidates over the bus.
 * A generation counter per key keeps a read that started before an invalidation from putting its stale
 * answer back into the cache.
 */
export class TokenRevocations {
	readonly #store: Keyv<StoredValue>;
	readonly #bus: InvalidationBus;
	readonly #stalenessMs: number;
	readonly #size: number;
	readonly #now: () => number;
	readonly #cache = new Map<string, { readonly value: StoredValue | undefined; readonly until: number }>();
	readonly #generations = new Map<string, number>();

	private constructor(options: TokenRevocationsOptions) {
		this.#store = options.store;
		this.#bus = options.bus;
		this.#stalenessMs = options.maximumStalenessMs ?? 15_000;
		this.#size = options.cacheSize ?? 10_000;
		this.#now = options.now ?? Date.now;
	}

	public static async create(options: TokenRevocationsOptions): Promise<TokenRevocations> {
		const revocations = new TokenRevocations(options);
		await options.bus.subscribe(REVOCATION_INVALIDATION_CHANNEL, (key) => revocations.invalidate(key));
		return revocations;
	}

	/** Remembers a token just issued (never the token itself: its id, guild, user and expiry). */
	public async recordIssued(claims: ApiTokenClaims): Promise<void> {
		const ttl = claims.exp * 1000 - this.#now();
		if (ttl <= 0) return;
		await this.#store.set(`issued:${claims.jti}`, { guildId: claims.guild_id, userId: claims.sub, exp: claims.exp } satisfies IssuedToken, ttl);
	}

	/** The unexpired token with this id issued for this guild, if there is one. */
	public async issued(guildId: string, jti: string): Promise<IssuedToken | undefined> {
		const found = await this.#store.get(`issued:${jti}`);
		return isIssuedToken(found) && found.guildId === guildId && found.exp * 1000 > this.#now() ? found : undefined;
	}

	/**
	 * Revokes every token of the guild issued up to now. Token times are whole seconds (`iat`), so tokens
	 * issued later in this same second are revoked too; {@link waitUntilIssuable} keeps new ones out of it.
	 * Returns the last revoked second.
	 */
	public async revokeAll(guildId: string): Promise<number> {
		const key = `guild:${guildId}`;
		const stored = await this.#store.get(key);
		// Never move the cut-off back, should another instance's clock be behind this one's.
		const notBefore = Math.max(Math.floor(this.#now() / 1000), typeof stored === 'number' ? stored : 0);
		// Every token issued up to then has expired within the longest lifetime a token can have.
		await this.#store.set(key, notBefore, (notBefore + MAXIMUM_TOKEN_LIFETIME_SECONDS + 1) * 1000 - this.#now());
		await this.#published(key);
		return notBefore;
	}

	/** Revokes one token, which must have been issued for this guild; undefined (and nothing stored) when there is no such unexpired token. */
	public async revoke(guildId: string, jti: string, revokedBy: string): Promise<IssuedToken | undefined> {
		const issued = await this.issued(guildId, jti);
		if (issued === undefined) return undefined;
		const key = `jti:${jti}`;
		await this.#store.set(key, { guildId, revokedBy, at: this.#now() } satisfies RevokedToken, issued.exp * 1000 - this.#now() + 1000);
		await this.#published(key);
		return issued;
	}

	/** Whether the token was revoked, as a whole guild's or by its id. Rejects when the store cannot be read. */
	public async isRevoked(claims: ApiTokenClaims): Promise<boolean> {
		const [notBefore, revoked] = await Promise.all([this.#read(`guild:${claims.guild_id}`), this.#read(`jti:${claims.jti}`)]);
		if (typeof notBefore === 'number' && claims.iat <= notBefore) return true;
		return isRevokedToken(revoked) && revoked.guildId === claims.guild_id;
	}

	/**
	 * Milliseconds to wait before a token signed now for this guild would be accepted: tokens of the second
	 * in which the guild's tokens were revoked are refused, so a new one must be signed in a later second.
	 */
	public async waitUntilIssuable(guildId: string): Promise<number> {
		const notBefore = await this.#read(`guild:${guildId}`);
		if (typeof notBefore !== 'number') return 0;
		return Math.max(0, (notBefore + 1) * 1000 - this.#now());
	}

	/** Drops this instance's cached answer for a key; called for revocations here and, through the bus, elsewhere. */
	public invalidate(key: string): void {
		this.#generations.set(key, (this.#generations.get(key) ?? 0) + 1);
		this.#cache.delete(key);
	}

	async #published(key: string): Promise<void> {
		this.invalidate(key);
		await this.#bus.publish(REVOCATION_INVALIDATION_CHANNEL, key);
	}

	async #read(key: string): Promise<StoredValue | undefined> {
		const cached = this.#cache.get(key);
		if (cached !== undefined && cached.until > this.#now()) return cached.value;
		const generation = this.#generations.get(key) ?? 0;
		const value = await this.#store.get(key);
		if ((this.#generations.get(key) ?? 0) === generation) {
			this.#cache.delete(key);
			this.#cache.set(key, { value, until: this.#now() + this.#stalenessMs });
			// Maps iterate in insertion order: the first keys are the oldest (deleting while iterating a Map is safe).
			for (const oldest of this.#cache.keys()) {
				if (this.#cache.size <= this.#size) break;
				this.#cache.delete(oldest);
				this.#generations.delete(oldest);
			}
		}
		return value;
	}
}

function isIssuedToken(value: StoredValue | undefined): value is IssuedToken {
	return typeof value === 'object' && value !== null && 'userId' in value && typeof value.exp === 'number';
}

function isRevokedToken(value: StoredValue | undefined): value is RevokedToken {
	return typeof value === 'object' && value !== null && 'revokedBy' in value;
}
