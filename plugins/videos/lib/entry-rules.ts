import { KalturaError } from '#sdk';
import type { SharedEntry } from './member-entry.js';

/** KalturaEntryStatus READY: anything else (importing, converting, errors, deleted) has nothing to play yet. */
const ENTRY_STATUS_READY = 2;
/** KalturaEntryModerationStatus PENDING_MODERATION (1) and REJECTED (3): held back from viewers until a moderator approves. */
const MODERATION_HELD = new Set([1, 3]);
/** Kaltura's answers for an entry a session may not see: not found for that session (entitlements filter it out). */
const UNSEEN_CODES = new Set(['ENTRY_ID_NOT_FOUND', 'INVALID_ENTRY_ID']);

/** Whether an entry is ready to be watched: converted (READY) and not held by moderation. Shares and watch-together alike. */
export function isReadyToWatch(entry: Pick<SharedEntry, 'status' | 'moderationStatus'>): boolean {
	return Number(entry.status) === ENTRY_STATUS_READY && !MODERATION_HELD.has(entry.moderationStatus ?? 0);
}

/** Whether the entry is in one of the server's categories (`videos.categoryIds`; none listed: every entry is). */
export function inCategories(entry: Pick<SharedEntry, 'categoriesIds'>, categoryIds: readonly string[]): boolean {
	if (categoryIds.length === 0) return true;
	const entryCategories = (entry.categoriesIds ?? '').split(',').map((id) => id.trim());
	return categoryIds.some((id) => entryCategories.includes(id));
}

/** Whether Kaltura's failure means the session may not see the entry (or it does not exist: the two read the same). */
export function isUnseenEntry(error: unknown): boolean {
	return error instanceof KalturaError && UNSEEN_CODES.has(error.code);
}
