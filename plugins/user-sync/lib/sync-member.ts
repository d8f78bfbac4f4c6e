import { container } from '@sapphire/framework';
import type { GuildMember } from 'discord.js';
import { KalturaError } from '#sdk';
import { kalturaRoleOf } from '../../role-mapping/api.js';
import { toFailure } from './failure.js';
import { addKalturaUser, getKalturaUser, updateKalturaUser } from './kaltura-users.js';
import { changedFields, newUserFields, profileChange, type MemberFacts, type SyncedField } from './kaltura-user-profile.js';

export type SyncOutcome =
	| { readonly kind: 'created'; readonly kalturaUserId: string }
	| { readonly kind: 'updated'; readonly kalturaUserId: string; readonly fields: readonly SyncedField[] }
	| { readonly kind: 'unchanged'; readonly kalturaUserId: string }
	| { readonly kind: 'failed'; readonly kalturaUserId: string | undefined; readonly code: string; readonly message: string };

/** Who the member is on Kaltura, and whether the bot owns that user. */
export interface KalturaIdentity {
	readonly kalturaUserId: string;
	/**
	 * False when an admin linked the member to an existing Kaltura user: that account belongs to the
	 * partner, so the bot adds its own record to it but never renames, blocks or deletes it.
	 */
	readonly owned: boolean;
}

export async function kalturaIdentityOf(guildId: string, discordUserId: string): Promise<KalturaIdentity> {
	const link = await container.identity.linkOf(guildId, discordUserId);
	return link === undefined
		? { kalturaUserId: container.identity.derivedKalturaUserId(discordUserId), owned: true }
		: { kalturaUserId: link.kalturaUserId, owned: false };
}

export async function memberFacts(member: GuildMember): Promise<MemberFacts> {
	const role = await kalturaRoleOf(member);
	return {
		guildId: member.guild.id,
		discordUserId: member.id,
		displayName: member.displayName,
		username: member.user.username,
		kalturaRole: role.role
	};
}

/**
 * Makes the member's Kaltura user match the member: created when missing, updated when something
 * differs, left alone otherwise (an unchanged member costs no write). Never throws: a failure is an
 * outcome, so one bad member cannot stop a pass or escape into the event loop.
 */
export async function syncMember(member: GuildMember): Promise<SyncOutcome> {
	let identity: KalturaIdentity | undefined;
	try {
		identity = await kalturaIdentityOf(member.guild.id, member.id);
		return await syncKalturaUser(identity, await memberFacts(member));
	} catch (error) {
		return failure(identity?.kalturaUserId, error);
	}
}

/**
 * `user.add` first: for a member Kaltura does not know yet that is the only call. Only when Kaltura
 * already has the id (`DUPLICATE_USER_BY_ID`) is the user read and, if it differs, updated.
 *
 * The Kaltura role goes into partnerData and never into the user's `roleIds`: those are KMC
 * back-office roles (publisher administrator, content manager, ...), and granting one would let a
 * Discord member into the partner's management console. partnerData records the role for the
 * partner's reports and integrations; meeting and event roles are granted per session (KS privileges).
 */
export async function syncKalturaUser(identity: KalturaIdentity, facts: MemberFacts): Promise<SyncOutcome> {
	const { kalturaUserId } = identity;
	try {
		await addKalturaUser(kalturaUserId, newUserFields(facts));
		return { kind: 'created', kalturaUserId };
	} catch (error) {
		if (!(error instanceof KalturaError) || error.code !== 'DUPLICATE_USER_BY_ID') return failure(kalturaUserId, error);
	}
	try {
		const existing = await getKalturaUser(kalturaUserId);
		const { patch, partnerDataUnreadable, partnerDataFull } = profileChange(existing, facts, identity.owned);
		if (partnerDataUnreadable) {
			container.logger.debug(`User sync: the partnerData of linked Kaltura user ${kalturaUserId} is not JSON; left as it is.`);
		}
		if (partnerDataFull) {
			container.logger.warn(
				`User sync: the partnerData of Kaltura user ${kalturaUserId} is full with other keys; this server's entry was not added.`
			);
		}
		const fields = changedFields(patch);
		if (fields.length === 0) return { kind: 'unchanged', kalturaUserId };
		await updateKalturaUser(kalturaUserId, patch);
		return { kind: 'updated', kalturaUserId, fields };
	} catch (error) {
		return failure(kalturaUserId, error);
	}
}

function failure(kalturaUserId: string | undefined, error: unknown): SyncOutcome {
	return { kind: 'failed', kalturaUserId, ...toFailure(error, `the sync of ${kalturaUserId ?? 'a member'}`) };
}
