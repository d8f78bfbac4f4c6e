import { truncate } from '../../../src/core/discord/replies.js';
import type { JoinLink } from './join-link.js';
import type { StartedMeeting } from './start-meeting.js';

/** What the host sees privately once the meeting exists: their own host link, and whether the announcement went out. */
export function startedReply({ meeting, announced }: StartedMeeting, hostLink: JoinLink): string {
	const where = announced
		? `It is announced in <#${announced.channelId}> with a Join button.`
		: `I could not post the announcement in <#${meeting.channelId}> (check my permission to send messages there); members can still use \`/meeting join meeting:${meeting.id}\`.`;
	return `**${truncate(meeting.title, 200)}** is ready (Kaltura meeting \`${meeting.id}\`). ${where}\nYour host link, only for you: [open the meeting as host](${hostLink.url})`;
}
