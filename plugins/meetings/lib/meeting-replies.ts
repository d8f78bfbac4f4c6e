import { KalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import { LinkPolicyError } from '../../../src/core/policy/link-url.js';
import { escapeAndTruncate } from '../../../src/core/discord/markdown.js';
import type { Meeting } from './meeting.js';
import type { JoinLink } from './join-link.js';

export const NO_SUCH_MEETING = 'There is no active or upcoming meeting with that id in this server. `/meeting list` shows them.';
export const MEETING_ENDED = 'That meeting has ended.';

/** The private answer with a join link; the link carries a session, so it is never posted publicly. */
export function joinLinkReply(meeting: Meeting, link: JoinLink): string {
	const as = link.role === 'adminRole' ? 'as a host (you can run the room)' : 'as a participant';
	return `Your link to **${escapeAndTruncate(meeting.title, 200)}**, ${as}: [open the meeting](${link.url})\nIt signs you in as yourself: please do not share it.`;
}

/** A Kaltura failure in a sentence for the member; anything else is a bug and is thrown on. */
export function kalturaFailureReply(what: string, error: unknown): string {
	if (error instanceof KalturaError) return `${what} did not work: ${error.userMessage}`;
	// A join link the operator's link policy refuses is never shown; the member is told which setting to fix.
	if (error instanceof LinkPolicyError) return `${what} did not work: ${error.message}`;
	throw error;
}
