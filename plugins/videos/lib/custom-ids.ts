import { isEntryId } from './entry-ids.js';

/**
 * Custom ids of the plugin's buttons. Every handler whose `parse` says yes runs, so each id starts with the
 * plugin's name and says exactly what it is for. Anyone can send any custom id: what it names is checked again
 * when pressed (the entry, with the presser's own Kaltura session).
 */
const SHARE = 'videos:share:';

export const shareButtonId = (entryId: string) => `${SHARE}${entryId}`;

/** The entry a Share button names, when the id is one of ours and names an entry id; otherwise undefined. */
export function parseShareButtonId(customId: string): string | undefined {
	if (!customId.startsWith(SHARE)) return undefined;
	const entryId = customId.slice(SHARE.length);
	return isEntryId(entryId) ? entryId : undefined;
}
