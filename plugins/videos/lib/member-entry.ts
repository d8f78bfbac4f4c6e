import kaltura from 'kaltura-client';
import { z } from 'zod';
import { type IdentityService, type KalturaFacade, type KalturaRequest, KalturaResponseError, type UserSession } from '#sdk';

/**
 * A KalturaMediaEntry as a share shows it. Kaltura leaves unset fields out of its JSON. `userId` is the owner,
 * `creatorId` who uploaded it (kaltura/server api_v3/lib/types/entry/KalturaBaseEntry.php).
 */
const sharedEntrySchema = z.object({
	id: z.string().min(1),
	name: z.string().optional(),
	description: z.string().optional(),
	/** Seconds. */
	duration: z.number().optional(),
	thumbnailUrl: z.string().optional(),
	userId: z.string().optional(),
	creatorId: z.string().optional(),
	/** KalturaEntryStatus; 2 is READY. */
	status: z.union([z.number(), z.string()]).optional(),
	/** KalturaEntryModerationStatus; 1 is PENDING_MODERATION, 3 REJECTED. */
	moderationStatus: z.number().optional(),
	/** Comma-separated category ids. */
	categoriesIds: z.string().optional()
});

export type SharedEntry = z.output<typeof sharedEntrySchema>;

/** `media.get` of one entry, its answer checked. */
function mediaGet(entryId: string): KalturaRequest<SharedEntry> {
	const build = () => kaltura.services.media.get(entryId);
	return {
		build,
		parse(answer) {
			const result = sharedEntrySchema.safeParse(answer);
			if (result.success) return result.data;
			throw new KalturaResponseError(
				'media.get',
				result.error.issues.map((issue) => `${issue.path.join('.') || '(answer)'}: ${issue.message}`)
			);
		}
	};
}

/**
 * The member's own session for reading one entry: a USER session as their Kaltura identity in this server (the
 * admin's link, else `discord_<id>`), with `enableentitlement` so the partner's entitlement rules decide what they
 * may see whatever the partner's default (kaltura/server alpha/apps/kaltura/lib/request/kSessionBase.class.php
 * PRIVILEGE_ENABLE_ENTITLEMENT). Never the bot's search user: a share is the member's act, within their own rights.
 */
export async function memberSession(identity: IdentityService, guildId: string, memberId: string): Promise<UserSession> {
	return { userId: await identity.kalturaUserIdOf(guildId, memberId), privileges: 'enableentitlement' };
}

/** The entry as the member's session sees it; Kaltura answers ENTRY_ID_NOT_FOUND for one they may not see. */
export function entryAsMember(facade: KalturaFacade, session: UserSession, entryId: string): Promise<SharedEntry> {
	return facade.call(session, mediaGet(entryId));
}
