import type Keyv from 'keyv';

/** Kaltura user ids: up to 100 characters, and none of the characters Kaltura refuses (`:` among them). */
export const KALTURA_USER_ID_PATTERN = /^[A-Za-z0-9_.@+-]{1,100}$/;

export interface IdentityLink {
	readonly kalturaUserId: string;
	/** The Discord user who made the link (an admin), and when. */
	readonly linkedBy: string;
	readonly linkedAt: string;
}

/**
 * Who a Discord member is on Kaltura. By default the id is derived (`discord_<id>`, the prefix is
 * configurable); an admin can instead link a member to an existing Kaltura user. Links are kept per
 * guild, so an admin of one server can never decide who a member is in another.
 */
export class IdentityService {
	public constructor(
		private readonly store: Keyv<IdentityLink>,
		public readonly prefix: string
	) {
		if (!/^[A-Za-z0-9_.@+-]{0,40}$/.test(prefix)) throw new RangeError(`The Kaltura user id prefix "${prefix}" contains characters Kaltura ids refuse`);
	}

	public derivedKalturaUserId(discordUserId: string): string {
		return `${this.prefix}${discordUserId}`;
	}

	/** The member's Kaltura user id in this guild: the admin's link, else the derived id. */
	public async kalturaUserIdOf(guildId: string, discordUserId: string): Promise<string> {
		return (await this.linkOf(guildId, discordUserId))?.kalturaUserId ?? this.derivedKalturaUserId(discordUserId);
	}

	public linkOf(guildId: string, discordUserId: string): Promise<IdentityLink | undefined> {
		return this.store.get(keyOf(guildId, discordUserId));
	}

	public async link(guildId: string, discordUserId: string, kalturaUserId: string, linkedBy: string): Promise<IdentityLink> {
		if (!KALTURA_USER_ID_PATTERN.test(kalturaUserId)) {
			throw new RangeError('A Kaltura user id has 1 to 100 letters, digits or . _ @ + - (no spaces or colons).');
		}
		const link: IdentityLink = { kalturaUserId, linkedBy, linkedAt: new Date().toISOString() };
		await this.store.set(keyOf(guildId, discordUserId), link);
		return link;
	}

	public unlink(guildId: string, discordUserId: string): Promise<boolean> {
		return this.store.delete(keyOf(guildId, discordUserId));
	}
}

function keyOf(guildId: string, discordUserId: string): string {
	return `${guildId}.${discordUserId}`;
}
