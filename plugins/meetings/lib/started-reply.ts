import { escapeAndTruncate, inlineCode, KalturaError, LinkPolicyError, safeUrl } from '#sdk';
import type { JoinLink } from './join-link.js';
import type { LiveIngest } from './live-ingest.js';
import type { StartedMeeting } from './start-meeting.js';

/**
 * The host's encoder settings, one per line. Each value in inline code: it is copied into an encoder, and a
 * value from Kaltura must not turn into markdown. It carries the stream's password: this text goes into the
 * host's private (ephemeral) answer only.
 */
export function ingestLines(ingest: LiveIngest | undefined): string {
	if (ingest === undefined) return 'Kaltura gave no ingest address for this stream: find it on the entry in the KMC (Live Stream Configuration).';
	const lines = [
		'Send your stream here (only for you: the key lets anyone broadcast on this stream):',
		`RTMP URL: ${inlineCode(ingest.rtmpUrl)}`,
		`Stream key: ${inlineCode(ingest.streamKey)}`
	];
	if (ingest.backupRtmpUrl !== undefined) lines.push(`Backup RTMP URL: ${inlineCode(ingest.backupRtmpUrl)}`);
	if (ingest.rtmpsUrl !== undefined) lines.push(`RTMPS URL: ${inlineCode(ingest.rtmpsUrl)}`);
	if (ingest.backupRtmpsUrl !== undefined) lines.push(`Backup RTMPS URL: ${inlineCode(ingest.backupRtmpsUrl)}`);
	if (ingest.srtUrl !== undefined)
		lines.push(
			`SRT URL: ${inlineCode(ingest.srtUrl)}${ingest.srtStreamId === undefined ? '' : `, stream id: ${inlineCode(ingest.srtStreamId)}`}`
		);
	if (ingest.backupSrtUrl !== undefined)
		lines.push(
			`Backup SRT URL: ${inlineCode(ingest.backupSrtUrl)}${ingest.backupSrtStreamId === undefined ? '' : `, stream id: ${inlineCode(ingest.backupSrtStreamId)}`}`
		);
	return lines.join('\n');
}

/** The host's link, or why it could not be made: a sentence safe to show (the link policy's, or Kaltura's). */
export type HostLink = JoinLink | { readonly problem: string };

/**
 * The host's link once the meeting exists, or why it could not be made. The meeting is made and announced by
 * then: a refused link must not turn the answer into "starting failed" (the host would start it again), nor
 * hide a live stream's ingest details, which this answer alone carries.
 */
export async function hostLinkOf(make: () => Promise<JoinLink>): Promise<HostLink> {
	try {
		return await make();
	} catch (error) {
		if (error instanceof LinkPolicyError) return { problem: error.message };
		if (error instanceof KalturaError) return { problem: error.userMessage };
		throw error;
	}
}

/**
 * What the host sees privately once the meeting exists: their own host link (for a live stream: the ingest
 * details and the watch link), and whether the announcement went out.
 */
export function startedReply({ meeting, announced, ingest }: StartedMeeting, hostLink: HostLink | undefined): string {
	const live = meeting.type === 'live';
	const where = announced
		? `It is announced in <#${announced.channelId}> with a ${live ? 'Watch' : 'Join'} button.`
		: `I could not post the announcement in <#${meeting.channelId}> (check my permission to send messages there); members can still use ${inlineCode(`/meeting join meeting:${meeting.id}`)}.`;
	const link = hostLink !== undefined && 'url' in hostLink ? safeUrl(hostLink.url) : undefined;
	const why = hostLink !== undefined && 'problem' in hostLink ? ` (${hostLink.problem})` : '';
	const title = `**${escapeAndTruncate(meeting.title, 200)}**`;
	if (live) {
		const watch = link === undefined ? `the watch link could not be shown${why}; use \`/meeting join\`` : `[open the stream](${link})`;
		return `${title} is ready (Kaltura live stream ${inlineCode(meeting.id)}). ${where}\n${ingestLines(ingest)}\nViewers watch it here: ${watch}`;
	}
	const open = link === undefined ? `the link could not be shown${why}; use \`/meeting join\`` : `[open the meeting as host](${link})`;
	return `${title} is ready (Kaltura meeting ${inlineCode(meeting.id)}). ${where}\nYour host link, only for you: ${open}`;
}
