import { escapeAndTruncate, inlineCode, safeUrl } from '../../../src/core/discord/markdown.js';
import type { JoinLink } from './join-link.js';
import type { StartedMeeting } from './start-meeting.js';

/** What the host sees privately once the meeting exists: their own host link, and whether the announcement went out. */
export function startedReply({ meeting, announced }: StartedMeeting, hostLink: JoinLink): string {
	const where = announced
		? `It is announced in <#${announced.channelId}> with a Join button.`
		: `I could not post the announcement in <#${meeting.channelId}> (check my permission to send messages there); members can still use ${inlineCode(`/meeting join meeting:${meeting.id}`)}.`;
	const link = safeUrl(hostLink.url);
	const open = link === undefined ? 'the link could not be shown; use `/meeting join`' : `[open the meeting as host](${link})`;
	return `**${escapeAndTruncate(meeting.title, 200)}** is ready (Kaltura meeting ${inlineCode(meeting.id)}). ${where}\nYour host link, only for you: ${open}`;
}
