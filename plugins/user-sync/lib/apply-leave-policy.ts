import { toFailure } from './failure.js';
import { deleteKalturaUser, getKalturaUser, isUnknownUser, updateKalturaUser } from './kaltura-users.js';
import { boundedPartnerData, KALTURA_USER_STATUS, parsePartnerData, recordedGuilds } from './kaltura-user-profile.js';
import type { KalturaIdentity } from './sync-member.js';
import type { LeavePolicy } from './user-sync-settings.js';

export type LeaveOutcome =
	| { readonly kind: 'kept' | 'blocked' | 'deleted' | 'absent' | 'linked'; readonly kalturaUserId: string }
	/** The user is recorded as a member of other servers too; only this server's entry was removed. */
	| { readonly kind: 'still-member-elsewhere'; readonly kalturaUserId: string; readonly guildIds: readonly string[] }
	| { readonly kind: 'failed'; readonly kalturaUserId: string; readonly code: string; readonly message: string };

/**
 * What a member leaving does to their Kaltura user, per the server's `onLeave`:
 * - `keep`: nothing, not even a call;
 * - `block`: status BLOCKED, so the user can no longer sign in but keeps its content;
 * - `delete`: `user.delete`.
 * A user linked by an admin to an existing account is never blocked or deleted (the account is the
 * partner's), nor is one recorded as a member of another server the bot syncs: there, only this
 * server's entry leaves its partnerData. Never throws.
 */
export async function applyLeavePolicy(
	policy: LeavePolicy,
	identity: KalturaIdentity,
	guildId: string,
	discordUserId: string
): Promise<LeaveOutcome> {
	const { kalturaUserId } = identity;
	if (policy === 'keep') return { kind: 'kept', kalturaUserId };
	if (!identity.owned) return { kind: 'linked', kalturaUserId };
	try {
		let existing;
		try {
			existing = await getKalturaUser(kalturaUserId);
		} catch (error) {
			if (isUnknownUser(error)) return { kind: 'absent', kalturaUserId };
			throw error;
		}
		const partnerData = parsePartnerData(existing.partnerData) ?? undefined;
		const otherGuilds = Object.keys(recordedGuilds(partnerData)).filter((id) => id !== guildId);
		// Undefined only when the keys others stored fill the column on their own: then partnerData stays as it is.
		const remaining = boundedPartnerData(partnerData, discordUserId, guildId, null);
		if (otherGuilds.length > 0) {
			if (remaining !== undefined && remaining !== existing.partnerData) await updateKalturaUser(kalturaUserId, { partnerData: remaining });
			return { kind: 'still-member-elsewhere', kalturaUserId, guildIds: otherGuilds };
		}
		if (policy === 'delete') {
			await deleteKalturaUser(kalturaUserId).catch((error: unknown) => {
				if (!isUnknownUser(error)) throw error;
			});
			return { kind: 'deleted', kalturaUserId };
		}
		const partnerDataPatch = remaining !== undefined && remaining !== existing.partnerData ? { partnerData: remaining } : {};
		if (Number(existing.status) !== KALTURA_USER_STATUS.BLOCKED || partnerDataPatch.partnerData !== undefined) {
			await updateKalturaUser(kalturaUserId, { status: KALTURA_USER_STATUS.BLOCKED, ...partnerDataPatch });
		}
		return { kind: 'blocked', kalturaUserId };
	} catch (error) {
		return { kind: 'failed', kalturaUserId, ...toFailure(error, `the leave of ${kalturaUserId}`) };
	}
}
