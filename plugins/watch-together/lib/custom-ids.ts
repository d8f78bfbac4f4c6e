import { isEntryId } from '../../videos/api.js';

/**
 * The Watch together button's custom id. The videos plugin puts it on its search results (share-buttons.ts) and this
 * plugin answers it. Anyone can send any custom id: the entry is checked again with the presser's own session.
 */
const WATCH = 'watch-together:launch:';

export const watchButtonId = (entryId: string) => `${WATCH}${entryId}`;

export function parseWatchButtonId(customId: string): string | undefined {
	if (!customId.startsWith(WATCH)) return undefined;
	const entryId = customId.slice(WATCH.length);
	return isEntryId(entryId) ? entryId : undefined;
}
