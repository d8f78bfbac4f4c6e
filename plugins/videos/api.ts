/**
 * What other plugins may use of the videos plugin: the server's video catalogue as `/video search` sees it, and one
 * entry as a member's own Kaltura session sees it. Everything else in this folder is the plugin's own and may change
 * without notice.
 */
import { container } from '@sapphire/framework';
import { inCategories, isReadyToWatch, isUnseenEntry } from './lib/entry-rules.js';
import { entryAsMember, memberSession, type SharedEntry } from './lib/member-entry.js';
import { searchVideos, type VideoSummary } from './lib/search-videos.js';
import { videosConfig } from './lib/videos-config.js';

export { isEntryId } from './lib/entry-ids.js';
export { isReadyToWatch } from './lib/entry-rules.js';
export { memberSession } from './lib/member-entry.js';
export type { SharedEntry } from './lib/member-entry.js';
export type { VideoSummary } from './lib/search-videos.js';

/**
 * The videos matching `query` within the server's categories and result limit, as `/video search` finds them (the
 * bot's search user, the partner's entitlement rules applied). Not counted as a search in the server's usage: a
 * caller that lists as you type would count every keystroke.
 */
export async function guildVideoCatalogue(guildId: string, query: string): Promise<VideoSummary[]> {
	const settings = videosConfig(await container.guildConfig.resolve(guildId));
	return (await searchVideos(container.kaltura, query, settings.resultLimit, settings.categoryIds)).videos;
}

/**
 * The entry as the member's own Kaltura session sees it (`enableentitlement`), within the server's categories and ready
 * to watch; undefined when it does not exist, the member may not see it, it is outside the categories the server shows,
 * or it is not ready or held by moderation (one answer for all, so a refusal does not tell that an entry exists). Kaltura's other failures are thrown.
 */
export async function entryVisibleToMember(guildId: string, memberId: string, entryId: string): Promise<SharedEntry | undefined> {
	const settings = videosConfig(await container.guildConfig.resolve(guildId));
	let entry: SharedEntry;
	try {
		entry = await entryAsMember(container.kaltura, await memberSession(container.identity, guildId, memberId), entryId);
	} catch (error) {
		if (isUnseenEntry(error)) return undefined;
		throw error;
	}
	return isReadyToWatch(entry) && inCategories(entry, settings.categoryIds) ? entry : undefined;
}
