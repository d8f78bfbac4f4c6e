/**
 * What a member's Kaltura user should look like, and what has to change on an existing one. Pure: no
 * Discord or Kaltura objects, so the rules are testable on their own.
 */

/** Kaltura's UserStatus (kaltura-client `enums.UserStatus`). */
export const KALTURA_USER_STATUS = { BLOCKED: 0, ACTIVE: 1, DELETED: 2 } as const;

/** Column sizes of Kaltura's kuser table; longer values are cut rather than refused. */
const SCREEN_NAME_LIMIT = 100;
const NAME_LIMIT = 40;

/** The facts about a member that end up on Kaltura. */
export interface MemberFacts {
	readonly guildId: string;
	readonly discordUserId: string;
	/** Nickname, else global name, else username, as Discord shows the member. */
	readonly displayName: string;
	/** Used when the display name has no visible characters. */
	readonly username: string;
	/** From the role mapping. */
	readonly kalturaRole: string;
}

/** The fields of a Kaltura user this plugin writes. */
export interface SyncedFields {
	readonly screenName: string;
	readonly firstName: string;
	readonly lastName: string;
	readonly partnerData: string;
	readonly status: number;
}

export type SyncedField = keyof SyncedFields;

/** The synced fields, in the order {@link profileChange} compares them (and so the order a patch lists them in). */
const SYNCED_FIELDS: readonly SyncedField[] = ['partnerData', 'screenName', 'firstName', 'lastName', 'status'];

/** The fields a patch changes. */
export function changedFields(patch: Partial<SyncedFields>): SyncedField[] {
	return SYNCED_FIELDS.filter((field) => Object.hasOwn(patch, field));
}

/** A JSON object or array: something with keys to read. */
function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

/** A Kaltura user as `user.get` returns it; only the fields compared here. */
export interface KalturaUserRecord {
	readonly id?: unknown;
	readonly screenName?: unknown;
	readonly firstName?: unknown;
	readonly lastName?: unknown;
	readonly partnerData?: unknown;
	readonly status?: unknown;
}

/** This plugin's part of `partnerData`, under the key `discord`. */
export interface DiscordPartnerData {
	readonly userId: string;
	/** Guild id -> the member's Kaltura role there. One Kaltura user can be a member of several servers. */
	readonly guilds: Readonly<Record<string, { readonly kalturaRole: string }>>;
}

/** Cuts by code point, so an emoji is never split into half a surrogate pair. */
function cut(text: string, limit: number): string {
	const points = [...text];
	return points.length <= limit ? text : points.slice(0, limit).join('').trimEnd();
}

/** Characters Discord allows in names that show as nothing (zero-width spaces and joiners, BOM). */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/**
 * First and last name from a display name: the first word, and the rest. Discord has one name field;
 * Kaltura shows `firstName lastName` as the full name, so the split keeps the name readable there.
 */
export function splitDisplayName(displayName: string, username: string): { firstName: string; lastName: string } {
	const visible = displayName.replace(INVISIBLE, '').trim().replace(/\s+/g, ' ');
	const name = visible === '' ? username : visible;
	const space = name.indexOf(' ');
	if (space === -1) return { firstName: cut(name, NAME_LIMIT), lastName: '' };
	return { firstName: cut(name.slice(0, space), NAME_LIMIT), lastName: cut(name.slice(space + 1), NAME_LIMIT) };
}

/** JSON with keys in a fixed order, so equal data is always the same text and comparing is a string compare. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (!isRecord(value)) return value;
	return Object.fromEntries(
		Object.keys(value)
			.sort()
			.map((key) => [key, sortKeys(value[key])])
	);
}

/** partnerData as an object when it is a JSON object; `undefined` for empty; `null` for text that is not ours to rewrite. */
export function parsePartnerData(raw: unknown): Record<string, unknown> | undefined | null {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return undefined;
	if (typeof raw !== 'string') return null;
	try {
		const parsed: unknown = JSON.parse(raw);
		return isRecord(parsed) && !Array.isArray(parsed) ? parsed : null;
	} catch {
		return null;
	}
}

/** The guilds recorded in partnerData's `discord` part. */
export function recordedGuilds(partnerData: Record<string, unknown> | undefined | null): Record<string, { kalturaRole: string }> {
	const discord = partnerData?.discord;
	const guilds = isRecord(discord) ? discord.guilds : undefined;
	if (!isRecord(guilds)) return {};
	const result: Record<string, { kalturaRole: string }> = {};
	for (const [guildId, entry] of Object.entries(guilds)) {
		const role = isRecord(entry) ? entry.kalturaRole : undefined;
		if (typeof role === 'string') result[guildId] = { kalturaRole: role };
	}
	return result;
}

/**
 * partnerData with this member's entry for this guild set (or removed), keeping everything else: other
 * keys someone else stored, and the member's entries for other servers.
 */
export function withGuildEntry(
	existing: Record<string, unknown> | undefined,
	discordUserId: string,
	guildId: string,
	kalturaRole: string | null
): string {
	const guilds = recordedGuilds(existing);
	if (kalturaRole === null) delete guilds[guildId];
	else guilds[guildId] = { kalturaRole };
	const discord: DiscordPartnerData = { userId: discordUserId, guilds };
	return canonicalJson({ ...existing, discord });
}

/**
 * Kaltura keeps partnerData in `kuser.partner_data`, a `varchar(4096)` (kaltura/server
 * deployment/base/sql/01.kaltura_ce_tables.sql, table `kuser`; alpha/config/schema.xml). The API does not
 * check the length (KalturaBaseUser::$partnerData is a plain string), and the database runs with an empty
 * `sql_mode` (the same file: `SET GLOBAL sql_mode = ''`), so MySQL cuts a longer value to 4,096 characters
 * without an error: the JSON would come back broken, and with it every server's entry and the partner's own
 * keys. The bot therefore never writes more. Measured in UTF-16 code units, which are never fewer than
 * the characters MySQL counts.
 */
export const PARTNER_DATA_LIMIT = 4096;

/**
 * {@link withGuildEntry}, kept within {@link PARTNER_DATA_LIMIT}. When the member's entries for all their
 * servers do not fit, entries of other servers are dropped, lowest (oldest) server id first, until the
 * value fits; this server's entry and every key someone else stored are always kept. Undefined when even
 * that is too long (the partner's own keys fill the column): partnerData is then left as it is.
 *
 * Dropping happens only for a member of dozens of synced servers (an entry is about 50 characters), so
 * dozens of entries remain and the leave policy still sees the member as a member elsewhere. A dropped
 * server's entry comes back the next time that server syncs the member (and another is dropped then).
 */
export function boundedPartnerData(
	existing: Record<string, unknown> | undefined,
	discordUserId: string,
	guildId: string,
	kalturaRole: string | null
): string | undefined {
	const full = withGuildEntry(existing, discordUserId, guildId, kalturaRole);
	if (full.length <= PARTNER_DATA_LIMIT) return full;
	const guilds = recordedGuilds(existing);
	if (kalturaRole === null) delete guilds[guildId];
	else guilds[guildId] = { kalturaRole };
	const others = Object.keys(guilds)
		.filter((id) => id !== guildId)
		.sort(compareIds);
	// Fewest dropped that fits: each drop shortens the text, so a binary search over how many finds it.
	const withDropped = (count: number): string => {
		const kept = { ...guilds };
		for (const id of others.slice(0, count)) delete kept[id];
		return canonicalJson({ ...existing, discord: { userId: discordUserId, guilds: kept } satisfies DiscordPartnerData });
	};
	if (withDropped(others.length).length > PARTNER_DATA_LIMIT) return undefined;
	let low = 1;
	let high = others.length;
	while (low < high) {
		const middle = Math.floor((low + high) / 2);
		if (withDropped(middle).length <= PARTNER_DATA_LIMIT) high = middle;
		else low = middle + 1;
	}
	return withDropped(low);
}

/** Snowflakes as numbers (a shorter id is a smaller one); other keys after them, as text. */
function compareIds(a: string, b: string): number {
	return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** Every field for a new Kaltura user. */
export function newUserFields(facts: MemberFacts): SyncedFields {
	return {
		screenName: cut(nonBlank(facts.displayName) ?? facts.username, SCREEN_NAME_LIMIT),
		...splitDisplayName(facts.displayName, facts.username),
		// A single entry and no foreign keys: far below the limit.
		partnerData: withGuildEntry(undefined, facts.discordUserId, facts.guildId, facts.kalturaRole),
		status: KALTURA_USER_STATUS.ACTIVE
	};
}

function nonBlank(text: string): string | undefined {
	const trimmed = text.replace(INVISIBLE, '').trim();
	return trimmed === '' ? undefined : trimmed;
}

export interface ProfileChange {
	/** Only the fields that differ; empty when the user is up to date. */
	readonly patch: Partial<SyncedFields>;
	/** Why nothing could be written to partnerData, when that is the case. */
	readonly partnerDataUnreadable: boolean;
	/** Present when the keys others stored leave no room for this server's entry: partnerData is left as it is. */
	readonly partnerDataFull?: true;
}

/**
 * What to change on an existing Kaltura user so it matches the member.
 *
 * `owned` is false for a user an admin linked the member to: an account of the partner's that existed
 * before, whose names and status belong to the partner. Only this plugin's part of its partnerData is
 * written then, and only when its partnerData is JSON we can extend without losing anything.
 */
export function profileChange(existing: KalturaUserRecord, facts: MemberFacts, owned: boolean): ProfileChange {
	const patch: { -readonly [K in SyncedField]?: SyncedFields[K] } = {};
	const parsed = parsePartnerData(existing.partnerData);
	let partnerDataUnreadable = false;
	let partnerDataFull = false;
	if (parsed === null && !owned) {
		partnerDataUnreadable = true;
	} else {
		const partnerData = boundedPartnerData(parsed ?? undefined, facts.discordUserId, facts.guildId, facts.kalturaRole);
		const current = parsed === undefined || parsed === null ? existing.partnerData : canonicalJson(parsed);
		if (partnerData === undefined) partnerDataFull = true;
		else if (partnerData !== current) patch.partnerData = partnerData;
	}
	if (owned) {
		const wanted = newUserFields(facts);
		if (wanted.screenName !== textOf(existing.screenName)) patch.screenName = wanted.screenName;
		if (wanted.firstName !== textOf(existing.firstName)) patch.firstName = wanted.firstName;
		if (wanted.lastName !== textOf(existing.lastName)) patch.lastName = wanted.lastName;
		if (Number(existing.status) !== KALTURA_USER_STATUS.ACTIVE) patch.status = KALTURA_USER_STATUS.ACTIVE;
	}
	return partnerDataFull ? { patch, partnerDataUnreadable, partnerDataFull } : { patch, partnerDataUnreadable };
}

/** Kaltura leaves unset text fields out of its answers; unset and empty mean the same here. */
function textOf(value: unknown): string {
	return typeof value === 'string' ? value : '';
}
