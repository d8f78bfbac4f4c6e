import { container } from '@sapphire/framework';
import kaltura from 'kaltura-client';
import type { AuditSource } from '../audit/audit-log.js';
import { KalturaError } from '../kaltura/kaltura-error.js';
import { operatorPolicy } from '../policy/operator-policy.js';
import { KALTURA_USER_ID_PATTERN, KalturaUserClaimedError, type IdentityLink } from './identity.js';

/** The one answer to every refused link: it must not tell whether the Kaltura user exists, or why it was refused. */
export const LINK_REFUSED_MESSAGE = 'This Kaltura user cannot be linked.';

export const LINKS_DISABLED_MESSAGE =
	'Linking members to Kaltura users is not allowed by this bot’s operator (KALTURA_LINKABLE_USER_PATTERN is not set); members act as the Kaltura user derived from their Discord id.';

export class IdentityLinkError extends Error {
	public constructor(
		public readonly code: 'invalid_kaltura_user_id' | 'links_disabled' | 'link_refused',
		message: string
	) {
		super(message);
		this.name = 'IdentityLinkError';
	}
}

/** Who asks for a link or unlink, for the audit log. */
export interface IdentityActor {
	readonly actorId: string;
	readonly source: AuditSource;
}

/** The fields of a KalturaUser that make it unlinkable (kaltura/server api_v3/lib/types/KalturaUser.php). */
interface KalturaUserFlags {
	readonly isAdmin?: unknown;
	readonly isAccountOwner?: unknown;
}

/**
 * Links a member to a Kaltura user within the operator's bounds. The command and the API both come here.
 * The user must exist (a typo would silently create a second identity later), match
 * KALTURA_LINKABLE_USER_PATTERN, be neither a partner admin (`isAdmin`) nor the account owner
 * (`isAccountOwner`), not be the derived user of another Discord user, and not be linked to another
 * Discord user in any server. Every such refusal is the same {@link LINK_REFUSED_MESSAGE}, so the link
 * command cannot be used to learn which Kaltura user ids exist; the real reason goes to the audit log.
 * Kaltura errors pass through as {@link KalturaError}.
 */
export async function linkToExistingKalturaUser(guildId: string, discordUserId: string, kalturaUserId: string, actor: IdentityActor): Promise<IdentityLink> {
	if (!KALTURA_USER_ID_PATTERN.test(kalturaUserId)) {
		throw new IdentityLinkError('invalid_kaltura_user_id', 'A Kaltura user id has 1 to 100 letters, digits or . _ @ + - (no spaces or colons).');
	}
	const { linkableUserPattern } = operatorPolicy();
	if (linkableUserPattern === undefined) {
		await refuse(guildId, discordUserId, kalturaUserId, actor, 'KALTURA_LINKABLE_USER_PATTERN is not set, so no link is allowed');
		throw new IdentityLinkError('links_disabled', LINKS_DISABLED_MESSAGE);
	}
	const reason = await refusalReason(discordUserId, kalturaUserId, linkableUserPattern);
	if (reason !== undefined) return refuseAlike(guildId, discordUserId, kalturaUserId, actor, reason);

	const before = await container.identity.linkOf(guildId, discordUserId);
	let link: IdentityLink;
	try {
		link = await container.identity.link(guildId, discordUserId, kalturaUserId, actor.actorId);
	} catch (error) {
		if (error instanceof KalturaUserClaimedError) return refuseAlike(guildId, discordUserId, kalturaUserId, actor, 'it is already linked to another Discord user');
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
		user = await container.kaltura.admin({ actions: ['user.get'], why: 'checks the Kaltura user exists before a member is linked to it' }, () => kaltura.services.user!.get!(kalturaUserId));
	} catch (error) {
		if (error instanceof KalturaError && (error.code === 'USER_NOT_FOUND' || error.code === 'INVALID_USER_ID')) return 'Kaltura has no user with this id';
		throw error;
	}
	// Both flags are always in Kaltura's answer; a reply without them is not taken as "no".
	if (typeof user.isAdmin !== 'boolean' || typeof user.isAccountOwner !== 'boolean') return 'Kaltura did not say whether it is an admin or the account owner';
	if (user.isAccountOwner) return 'it is the partner’s account owner';
	if (user.isAdmin) return 'it is a partner admin (KMC user)';
	// Asked after Kaltura, so a refusal for this reason takes as long as one for an unknown id.
	const claim = await container.identity.claimOf(kalturaUserId);
	if (claim !== undefined && claim.discordUserId !== discordUserId) return 'it is already linked to another Discord user';
	return undefined;
}

async function refuse(guildId: string, discordUserId: string, kalturaUserId: string, actor: IdentityActor, reason: string): Promise<void> {
	container.logger.debug(`Link of Discord user ${discordUserId} in guild ${guildId} to Kaltura user "${kalturaUserId}" refused: ${reason}.`);
	await container.audit.record({
		guildId,
		actorId: actor.actorId,
		source: actor.source,
		action: 'policy.refused',
		target: discordUserId,
		changes: { kalturaUserId },
		outcome: 'refused',
		detail: `Link to Kaltura user "${kalturaUserId}" refused: ${reason}.`
	});
}

async function refuseAlike(guildId: string, discordUserId: string, kalturaUserId: string, actor: IdentityActor, reason: string): Promise<never> {
	await refuse(guildId, discordUserId, kalturaUserId, actor, reason);
	throw new IdentityLinkError('link_refused', LINK_REFUSED_MESSAGE);
}
