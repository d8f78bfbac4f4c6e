import { escapeAndTruncate, safeUrl } from '#sdk';
import type { Meeting } from './meeting.js';
import type { JoinLink } from './join-link.js';

/**
 * A meeting Kaltura does not have (deleted there, or never made) or that is not this server's: the same answer
 * either way, so one server learns nothing of another's meetings.
 */
export const NO_SUCH_MEETING = 'That meeting no longer exists (or is not one of this server’s). `/meeting list` shows the active and upcoming ones.';
export const MEETING_ENDED = 'That meeting has ended.';

/**
 * The private answer with a join link; the link carries a session, so it is never posted publicly. The URL
 * goes into markdown only through `safeUrl`, which encodes whatever could end the link early: a `)` in it
 * must not close this link and open another, to a host that would receive the session.
 */
export function joinLinkReply(meeting: Meeting, link: JoinLink): string {
	if (link.role === 'watcher') {
		const target = safeUrl(link.url);
		const title = escapeAndTruncate(meeting.title, 200);
		if (target === undefined)
			return `The watch link of **${title}** could not be shown: it is not a plain web link. Someone with Manage Server can check the meetings.watchUrlTemplate setting.`;
		return `Watch **${title}** live: [open the stream](${target})`;
	}
	const as = link.role === 'adminRole' ? 'as a host (you can run the room)' : 'as a participant';
	const title = escapeAndTruncate(meeting.title, 200);
	const target = safeUrl(link.url);
	if (target === undefined)
		return `Your link to **${title}** could not be shown: it is not a plain web link. Someone with Manage Server can check the meetings.kafBaseUrl setting.`;
	return `Your link to **${title}**, ${as}: [open the meeting](${target})\nIt signs you in as yourself: please do not share it.`;
}

/** The question `/meeting end` asks before a meeting is ended for everyone. */
export function endQuestion(meeting: Meeting): string {
	return `End **${escapeAndTruncate(meeting.title, 200)}** for everyone? Its Join button goes away.`;
}

export function endedReply(meeting: Meeting): string {
	return `**${escapeAndTruncate(meeting.title, 200)}** has ended for everyone.`;
}
