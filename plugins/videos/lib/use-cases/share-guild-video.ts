import { container } from '@sapphire/framework';
import { LinkPolicyError, recordUsage, UserFacingError, userFacingFailure } from '#sdk';
import { inCategories, isReadyToWatch, isUnseenEntry } from '../entry-rules.js';
import { entryAsMember, memberSession, type SharedEntry } from '../member-entry.js';
import { ownerNames } from '../owner-name.js';
import { watchUrlOf } from '../search-videos.js';
import { type VideoToShare } from '../share-embed.js';
import { videosConfig } from '../videos-config.js';
import { videosShared } from '../videos-metrics.js';

/**
 * The one answer to an entry the member may not share because they cannot see it, whether it does not exist or
 * Kaltura keeps it from them: the two must read the same, or the refusal would tell them an entry exists.
 */
export const CANNOT_SHARE_MESSAGE = 'You cannot share that video: it does not exist, or your Kaltura account may not see it.';

export const NOT_READY_MESSAGE = 'That video cannot be shared yet: it is not ready to watch.';
export const OUTSIDE_CATEGORIES_MESSAGE = 'That video is not in the Kaltura categories this server shows.';

export interface VideoShare {
	readonly video: VideoToShare;
	/** The watch link, as the guild's videos.watchUrlTemplate makes it within the operator's link policy. */
	readonly watchUrl: string;
}

/**
 * What a member may share of an entry: read with the member's own Kaltura session (never the bot's), so a member
 * shares only what they may see themselves; refused, without a word of the entry, when they may not. Within the
 * server's categories (videos.categoryIds) and only once it is ready to watch.
 */
export async function videoToShare(guildId: string, memberId: string, entryId: string): Promise<VideoShare> {
	const settings = videosConfig(await container.guildConfig.resolve(guildId));
	let entry: SharedEntry;
	try {
		entry = await entryAsMember(container.kaltura, await memberSession(container.identity, guildId, memberId), entryId);
	} catch (error) {
		if (isUnseenEntry(error)) throw new UserFacingError('video_not_visible', CANNOT_SHARE_MESSAGE, { status: 404 });
		throw userFacingFailure(error, 'Sharing the video');
	}
	if (!isReadyToWatch(entry)) throw new UserFacingError('video_not_ready', NOT_READY_MESSAGE, { status: 409 });
	if (!inCategories(entry, settings.categoryIds))
		throw new UserFacingError('video_outside_categories', OUTSIDE_CATEGORIES_MESSAGE, { status: 403 });
	try {
		const watchUrl = watchUrlOf(settings.watchUrlTemplate, container.kaltura.partnerId, entry.id);
		return { video: toVideo(entry, await ownerNames.of(container.kaltura, ownerIdOf(entry))), watchUrl };
	} catch (error) {
		// The policy's sentence already names the setting to fix.
		if (error instanceof LinkPolicyError) throw new UserFacingError('link_not_allowed', error.message, { status: 409, cause: error });
		throw error;
	}
}

/** Counts a share once it is posted: the server's usage report and the bot's counter. */
export function countShare(guildId: string): void {
	videosShared.inc({});
	recordUsage(guildId, 'video_shared');
}

/** The entry's Kaltura owner, else who created it; '' when Kaltura names neither. */
function ownerIdOf(entry: SharedEntry): string {
	return [entry.userId, entry.creatorId].find((id) => id !== undefined && id.trim() !== '') ?? '';
}

/** The video as the post shows it; `owner` is the owner's public name, never their user id (often an email address). */
function toVideo(entry: SharedEntry, owner: string | undefined): VideoToShare {
	return {
		id: entry.id,
		name: entry.name !== undefined && entry.name.trim() !== '' ? entry.name : 'Untitled video',
		description: entry.description ?? '',
		durationSeconds: entry.duration ?? 0,
		thumbnailUrl: entry.thumbnailUrl !== undefined && /^https?:\/\//.test(entry.thumbnailUrl) ? entry.thumbnailUrl : undefined,
		owner
	};
}
