import { container } from '@sapphire/framework';
import { KalturaError, type TimelyAutocomplete, timelyAutocompleteOf } from '#sdk';
import { listGuildMeetings } from './find-meetings.js';
import type { Meeting } from './meeting.js';

/** The cache's owner: one per process, shared by the command that suggests and the flows that change the list. */
const OWNER = {};

/**
 * The `/meeting join|end` suggestions of each server: its meetings from a short-lived cache (Discord waits 3 s
 * for an answer and Kaltura may take longer; see {@link TimelyAutocomplete}).
 */
export function meetingSuggestions(): TimelyAutocomplete<readonly Meeting[]> {
	return timelyAutocompleteOf(OWNER, async (guildId) => (await listGuildMeetings(container.kaltura, guildId, { size: 25, index: 1 })).meetings);
}

/** A meeting of this server was started or ended through the bot: the next suggestions are read afresh. */
export function forgetMeetingSuggestions(guildId: string): void {
	meetingSuggestions().forget(guildId);
}

/**
 * The meetings to suggest now: from the cache when it answers in time, else none (what is typed can still be
 * sent). A Kaltura failure is no answer to show in a suggestion list either: none, and the command answers later.
 */
export async function suggestedMeetings(guildId: string, startedAt: number): Promise<readonly Meeting[]> {
	try {
		return (await meetingSuggestions().get(guildId, startedAt))?.value ?? [];
	} catch (error) {
		if (!(error instanceof KalturaError)) throw error;
		return [];
	}
}
