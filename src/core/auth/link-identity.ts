import { container } from '@sapphire/framework';
import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { AuditSource } from '../audit/audit-log.js';
import { withUserFacingFailures } from '../errors/kaltura-failure.js';
import { UserFacingError } from '../errors/user-facing-error.js';
import { KalturaError } from '../kaltura/kaltura-error.js';
import { user as kalturaUser, type KalturaUser } from '../kaltura/services/user.js';
import { operatorPolicy } from '../policy/operator-policy.js';
import { KALTURA_USER_ID_PATTERN, KalturaUserClaimedError, type IdentityLink } from './identity.js';

/** The one answer to every refused link: it must not tell whether the Kaltura user exists, or why it was refused. */
export const LINK_REFUSED_MESSAGE = 'This Kaltura user cannot be linked.';

/**
 * What the audit log says of every refused link, whatever the reason. Admins read the audit log, so a
 * reason there ("no such user", "partner admin") would tell them what the identical reply hides.
 */
export const LINK_REFUSED_AUDIT_REASON = 'the Kaltura user id is not one this bot may link to';

export const NOT_A_MEMBER_MESSAGE = 'This user is not a member of this server; only members can be linked to a Kaltura user.';

export const LINKS_DISABLED_MESSAGE =
	'Linking members to Kaltura users is not allowed by this bot’s operator (KALTURA_LINKABLE_USER_PATTERN is not set); members act as the Kaltura user derived from their Discord id.';

type IdentityLinkErrorCode = 'invalid_kaltura_user_id' | 'links_disabled' | 'link_refused' | 'unknown_member';

/**
 * Every policy refusal is one 422, whatever the reason: a 404 would tell which Kaltura user ids exist. 404
 * `unknown_member` is about the Discord user only, who must be a member of this server to be linked.
 */
const LINK_ERROR_STATUS: Readonly<Record<IdentityLinkErrorCode, number>> = {
	invalid_kaltura_user_id: 400,
	links_disabled: 403,
	unknown_member: 404,
	link_refused: 422
};

export class IdentityLinkError extends UserFacingError {
	declare public readonly code: IdentityLinkErrorCode;

	public constructor(code: IdentityLinkErrorCode, message: string) {
		super(code, message, { status: LINK_ERROR_STATUS[code] });
		this.name = 'IdentityLinkError';
	}
}

/** Who asks for a link or unlink, for the audit log. */
export interface IdentityActor {
	readonly actorId: string;
	readonly source: AuditSource;
}

/** The fields of a KalturaUser that make it unlinkable (kaltura/server api_v3/lib/types/KalturaUser.php). */
type KalturaUserFlags = Pick<KalturaUser, 'isAdmin' | 'isAccountOwner'>;

/**
 * Links a member to a Kaltura user within the operator's bounds. The command and the API both come here.
 * The user must exist (a typo would silently create a second identity later), match
 * KALTURA_LINKABLE_USER_PATTERN, be neither a partner admin (`isAdmin`) nor the account owner
 * (`isAccountOwner`), not be the derived user of another Discord user, and not be linked to another
 * Discord user in any server. Every such refusal is the same {@link LINK_REFUSED_MESSAGE}, so the link
 * command cannot be used to learn which Kaltura user ids exist. The audit log records each refusal with
 * one generic reason (admins read it); the real reason goes only to the operator's debug log.
 * The Discord user must be a member of the guild: a link claims the Kaltura user in every server, so
 * linking someone who is not here would block that Kaltura user for every other server.
 * Kaltura errors pass through as {@link KalturaError}; Discord errors other than "unknown member" pass through.
 */
export async function linkToExistingKalturaUser(
	guildId: string,
	discordUserId: string,
	kalturaUserId: string,
	actor: IdentityActor
): Promise<IdentityLink> {
	if (!KALTURA_USER_ID_PATTERN.test(kalturaUserId)) {
		throw new IdentityLinkError('invalid_kaltura_user_id', 'A Kaltura user id has 1 to 100 letters, digits or . _ @ + - (no spaces or colons).');
	}
	const { linkableUserPattern } = operatorPolicy();
	if (linkableUserPattern === undefined) {
		// The reply says this much already, so the audit entry may too.
		const reason = 'KALTURA_LINKABLE_USER_PATTERN is not set, so no link is allowed';
		await refuse(guildId, discordUserId, kalturaUserId, actor, reason, reason);
		throw new IdentityLinkError('links_disabled', LINKS_DISABLED_MESSAGE);
	}
	if (!(await isGuildMember(guildId, discordUserId))) throw new IdentityLinkError('unknown_member', NOT_A_MEMBER_MESSAGE);
	const reason = await refusalReason(discordUserId, kalturaUserId, linkableUserPattern);
	if (reason !== undefined) return refuseAlike(guildId, discordUserId, kalturaUserId, actor, reason);

	const before = await container.identity.linkOf(guildId, discordUserId);
	let link: IdentityLink;
	try {
		link = await container.identity.link(guildId, discordUserId, kalturaUserId, actor.actorId);
	} catch (error) {
		if (error instanceof KalturaUserClaimedError)
			return refuseAlike(guildId, discordUserId, kalturaUserId, actor, 'it is already linked to another Discord user');
		throw error;
	}
	await container.audit.record({
		guildId,
		actorId: actor.actorId,
		source: actor.source,
		action: 'identity.link',
		target: discordUserId,
		changes: { before: before?.kalturaUserId ?? container.identity.derivedKalturaUserId(discordUserId), after: kalturaUserId }
	});
	return link;
}

/**
 * The link use case of `/kaltura-user link` and the identity API: {@link linkToExistingKalturaUser}, with a Kaltura
 * failure told as "The link was not made: <why>" (the API: 502, or 503 when trying later may help).
 */
export async function linkIdentity(guildId: string, discordUserId: string, kalturaUserId: string, actor: IdentityActor): Promise<IdentityLink> {
	return withUserFacingFailures(
		(why) => `The link was not made: ${why}`,
		() => linkToExistingKalturaUser(guildId, discordUserId, kalturaUserId, actor)
	);
}

/** Removes a member's link in this guild; records it when there was one. The removed link, if any. */
export async function unlinkIdentity(guildId: string, discordUserId: string, actor: IdentityActor): Promise<IdentityLink | undefined> {
	const removed = await container.identity.unlink(guildId, discordUserId);
	if (removed !== undefined) {
		await container.audit.record({
			guildId,
			actorId: actor.actorId,
			source: actor.source,
			action: 'identity.unlink',
			target: discordUserId,
			changes: { before: removed.kalturaUserId, after: container.identity.derivedKalturaUserId(discordUserId) }
		});
	}
	return removed;
}

/** Why this link may not be made, or undefined. The pattern first (it needs no call); every other reason only after Kaltura answered. */
async function refusalReason(discordUserId: string, kalturaUserId: string, pattern: RegExp): Promise<string | undefined> {
	if (!pattern.test(kalturaUserId)) return 'it does not match KALTURA_LINKABLE_USER_PATTERN';
	const derivedOwner = container.identity.discordUserOfDerivedId(kalturaUserId);
	if (derivedOwner !== undefined && derivedOwner !== discordUserId) return `it is the Kaltura user derived from Discord user ${derivedOwner}`;
	let user: KalturaUserFlags;
	try {
		user = await container.kaltura.admin(
			{ actions: ['user.get'], why: 'checks the Kaltura user exists before a member is linked to it' },
			kalturaUser.get(kalturaUserId)
		);
	} catch (error) {
		if (error instanceof KalturaError && (error.code === 'USER_NOT_FOUND' || error.code === 'INVALID_USER_ID'))
			return 'Kaltura has no user with this id';
		throw error;
	}
	// Both flags are always in Kaltura's answer; a reply without them is not taken as "no".
	if (typeof user.isAdmin !== 'boolean' || typeof user.isAccountOwner !== 'boolean')
		return 'Kaltura did not say whether it is an admin or the account owner';
	if (user.isAccountOwner) return 'it is the partner’s account owner';
	if (user.isAdmin) return 'it is a partner admin (KMC user)';
	// Asked after Kaltura, so a refusal for this reason takes as long as one for an unknown id.
	const claim = await container.identity.claimOf(kalturaUserId);
	if (claim !== undefined && claim.discordUserId !== discordUserId) return 'it is already linked to another Discord user';
	return undefined;
}

/**
 * Whether the user is a member of the guild: the cached member, else Discord's answer
 * (GET /guilds/{guild.id}/members/{user.id}, error 10007 Unknown Member or 10013 Unknown User when not;
 * discord-api-docs docs/topics/opcodes-and-status-codes.md). Other errors pass through.
 */
async function isGuildMember(guildId: string, discordUserId: string): Promise<boolean> {
	const guild = container.client.guilds.cache.get(guildId) ?? (await container.client.guilds.fetch(guildId));
	if (guild.members.cache.has(discordUserId)) return true;
	try {
		await guild.members.fetch({ user: discordUserId });
		return true;
	} catch (error) {
		if (error instanceof DiscordAPIError && (error.code === RESTJSONErrorCodes.UnknownMember || error.code === RESTJSONErrorCodes.UnknownUser))
			return false;
		throw error;
	}
}

/** Records a refusal: the real reason in the operator's debug log only, `auditReason` in the admin-readable audit log. */
async function refuse(
	guildId: string,
	discordUserId: string,
	kalturaUserId: string,
	actor: IdentityActor,
	reason: string,
	auditReason = LINK_REFUSED_AUDIT_REASON
): Promise<void> {
	container.logger.debug(`Link of Discord user ${discordUserId} in guild ${guildId} to Kaltura user "${kalturaUserId}" refused: ${reason}.`);
	await container.audit.record({
		guildId,
		actorId: actor.actorId,
		source: actor.source,
		action: 'policy.refused',
		target: discordUserId,
		changes: { kalturaUserId },
		outcome: 'refused',
		detail: `Link to Kaltura user "${kalturaUserId}" refused: ${auditReason}.`
	});
}

async function refuseAlike(guildId: string, discordUserId: string, kalturaUserId: string, actor: IdentityActor, reason: string): Promise<never> {
	await refuse(guildId, discordUserId, kalturaUserId, actor, reason);
	throw new IdentityLinkError('link_refused', LINK_REFUSED_MESSAGE);
}
