import type Keyv from 'keyv';
import { operatorPolicy, type OperatorPolicy } from '../policy/operator-policy.js';

/** Kaltura user ids: up to 100 characters, and none of the characters Kaltura refuses (`:` among them). */
export const KALTURA_USER_ID_PATTERN = /^[A-Za-z0-9_.@+-]{1,100}$/;

export interface IdentityLink {
	readonly kalturaUserId: string;
	/** The Discord user who made the link (an admin), and when. */
	readonly linkedBy: string;
	readonly linkedAt: string;
}

/**
 * Which Discord user a linked Kaltura user belongs to, across every server: one Kaltura user is one
 * person, so no two Discord users may act as the same one, whichever servers linked them.
 */
export interface KalturaUserClaim {
	readonly discordUserId: string;
	/** The servers whose link of that Discord user names this Kaltura user; the claim ends with the last. */
	readonly guildIds: readonly string[];
}

/** The Kaltura user is already linked to another Discord user (in this or another server). */
export class KalturaUserClaimedError extends Error {
	public constructor() {
		super('This Kaltura user is already linked to another Discord user.');
		this.name = 'KalturaUserClaimedError';
	}
}

export type IdentityRecord = IdentityLink | KalturaUserClaim;

/** Links and claims share one namespace; each key holds one kind, told apart by its fields. */
const isLink = (record: IdentityRecord | undefined): record is IdentityLink => record !== undefined && 'kalturaUserId' in record;
const isClaim = (record: IdentityRecord | undefined): record is KalturaUserClaim => record !== undefined && 'guildIds' in record;

/** Claims share the links' namespace under a prefix no link key has (link keys are `<guild id>.<user id>`, Kaltura ids have no `:`). */
const CLAIM_PREFIX = 'kaltura-user:';

/**
 * Who a Discord member is on Kaltura. By default the id is derived (`discord_<id>`, the prefix is
 * configurable); an admin can instead link a member to an existing Kaltura user. Links are kept per
 * guild, so an admin of one server can never decide who a member is in another; and each linked
 * Kaltura user is claimed by one Discord user across all servers (the reverse index).
 */
export class IdentityService {
	readonly #store: Keyv<IdentityRecord>;
	/** Link writes run one after another, so two admins can never both claim one Kaltura user (on this instance). */
	#writes: Promise<unknown> = Promise.resolve();

	public constructor(
		store: Keyv<IdentityRecord>,
		public readonly prefix: string,
		private readonly policy: () => Pick<OperatorPolicy, 'linkableUserPattern'> = operatorPolicy
	) {
		if (!/^[A-Za-z0-9_.@+-]{0,40}$/.test(prefix))
			throw new RangeError(`The Kaltura user id prefix "${prefix}" contains characters Kaltura ids refuse`);
		this.#store = store;
	}

	public derivedKalturaUserId(discordUserId: string): string {
		return `${this.prefix}${discordUserId}`;
	}

	/**
	 * The Discord user whose derived id this is, if it is one (`discord_<snowflake>`). The prefix is matched
	 * whatever its case: Kaltura finds `DISCORD_<id>` as the same user as `discord_<id>` (see {@link sameKalturaUser}).
	 */
	public discordUserOfDerivedId(kalturaUserId: string): string | undefined {
		if (!kalturaUserId.toLowerCase().startsWith(this.prefix.toLowerCase())) return undefined;
		const rest = kalturaUserId.slice(this.prefix.length);
		return /^\d{17,20}$/.test(rest) ? rest : undefined;
	}

	/**
	 * The member's Kaltura user id in this guild: the admin's link, else the derived id. A link is honoured
	 * only while the operator's policy allows it (its id matches KALTURA_LINKABLE_USER_PATTERN) and this
	 * member holds the Kaltura user's claim: links stored before those bounds existed act as no link.
	 */
	public async kalturaUserIdOf(guildId: string, discordUserId: string): Promise<string> {
		return (await this.linkOf(guildId, discordUserId))?.kalturaUserId ?? this.derivedKalturaUserId(discordUserId);
	}

	/** The member's link in this guild while it is within the operator's bounds (see {@link kalturaUserIdOf}); otherwise none. */
	public async linkOf(guildId: string, discordUserId: string): Promise<IdentityLink | undefined> {
		const link = await this.storedLinkOf(guildId, discordUserId);
		return link !== undefined && (await this.#honoured(guildId, discordUserId, link)) ? link : undefined;
	}

	/** The link as stored, whether or not it is still honoured. */
	public async storedLinkOf(guildId: string, discordUserId: string): Promise<IdentityLink | undefined> {
		const record = await this.#store.get(keyOf(guildId, discordUserId));
		return isLink(record) ? record : undefined;
	}

	/** Who holds a Kaltura user, if anyone linked it. */
	public async claimOf(kalturaUserId: string): Promise<KalturaUserClaim | undefined> {
		const record = await this.#store.get(claimKeyOf(kalturaUserId));
		return isClaim(record) ? record : undefined;
	}

	/**
	 * Links a member in a guild. Throws {@link KalturaUserClaimedError} when another Discord user holds
	 * the Kaltura user; the same Discord user may be linked to it in any number of servers.
	 */
	public link(guildId: string, discordUserId: string, kalturaUserId: string, linkedBy: string): Promise<IdentityLink> {
		if (!KALTURA_USER_ID_PATTERN.test(kalturaUserId)) {
			return Promise.reject(new RangeError('A Kaltura user id has 1 to 100 letters, digits or . _ @ + - (no spaces or colons).'));
		}
		return this.#serially(async () => {
			const claim = await this.claimOf(kalturaUserId);
			if (claim !== undefined && claim.discordUserId !== discordUserId) throw new KalturaUserClaimedError();
			const previous = await this.storedLinkOf(guildId, discordUserId);
			if (previous !== undefined && !sameKalturaUser(previous.kalturaUserId, kalturaUserId))
				await this.#release(previous.kalturaUserId, discordUserId, guildId);
			const guildIds = new Set(claim?.guildIds ?? []).add(guildId);
			await this.#store.set(claimKeyOf(kalturaUserId), { discordUserId, guildIds: [...guildIds] } satisfies KalturaUserClaim);
			const link: IdentityLink = { kalturaUserId, linkedBy, linkedAt: new Date().toISOString() };
			await this.#store.set(keyOf(guildId, discordUserId), link);
			return link;
		});
	}

	/** Removes the member's link in this guild (and, with its last link, their claim on the Kaltura user); the removed link, if any. */
	public unlink(guildId: string, discordUserId: string): Promise<IdentityLink | undefined> {
		return this.#serially(async () => {
			const link = await this.storedLinkOf(guildId, discordUserId);
			if (link === undefined) return undefined;
			await this.#store.delete(keyOf(guildId, discordUserId));
			await this.#release(link.kalturaUserId, discordUserId, guildId);
			return link;
		});
	}

	async #honoured(guildId: string, discordUserId: string, link: IdentityLink): Promise<boolean> {
		const pattern = this.policy().linkableUserPattern;
		if (pattern === undefined || !pattern.test(link.kalturaUserId)) return false;
		const claim = await this.claimOf(link.kalturaUserId);
		return claim !== undefined && claim.discordUserId === discordUserId && claim.guildIds.includes(guildId);
	}

	async #release(kalturaUserId: string, discordUserId: string, guildId: string): Promise<void> {
		const claim = await this.claimOf(kalturaUserId);
		if (claim === undefined || claim.discordUserId !== discordUserId) return;
		const guildIds = claim.guildIds.filter((id) => id !== guildId);
		if (guildIds.length === 0) await this.#store.delete(claimKeyOf(kalturaUserId));
		else await this.#store.set(claimKeyOf(kalturaUserId), { discordUserId, guildIds } satisfies KalturaUserClaim);
	}

	#serially<T>(work: () => Promise<T>): Promise<T> {
		const next = this.#writes.catch(() => undefined).then(work);
		this.#writes = next;
		return next;
	}
}

function keyOf(guildId: string, discordUserId: string): string {
	return `${guildId}.${discordUserId}`;
}

/**
 * Kaltura looks users up by id without regard to case: kuserPeer::getKuserByPartnerAndUid
 * (kaltura/server alpha/lib/model/kuserPeer.php) compares `puser_id` in SQL, and the kuser table is
 * `DEFAULT CHARSET=utf8` without a collation of its own (kaltura/server
 * deployment/base/sql/01.kaltura_ce_tables.sql), so MySQL's case-insensitive utf8_general_ci applies.
 * `Jane@school.example` and `jane@school.example` are one Kaltura user, so they are one claim here too.
 * Ids are kept as typed for display; only comparisons and the claim key fold case.
 */
export function sameKalturaUser(a: string, b: string): boolean {
	return foldKalturaUserId(a) === foldKalturaUserId(b);
}

function foldKalturaUserId(kalturaUserId: string): string {
	// Kaltura user ids are ASCII (KALTURA_USER_ID_PATTERN), where lower-casing is what the collation does.
	return kalturaUserId.toLowerCase();
}

function claimKeyOf(kalturaUserId: string): string {
	return `${CLAIM_PREFIX}${foldKalturaUserId(kalturaUserId)}`;
}
