import meetings from '../plugin.js';

/** Where a meeting was announced, so ending it can edit that message. */
export interface AnnouncementRef {
	readonly channelId: string;
	readonly messageId: string;
}

/** Kept as long as a meeting can lie ahead (a year) plus its length, and a little more. */
const KEEP_MS = 400 * 24 * 60 * 60 * 1000;

/** The plugin's own namespace on the bot's backend (Redis, the SQLite file, memory in tests), where announcements always were. */
const announcements = () => meetings.storage<AnnouncementRef>();

export async function rememberAnnouncement(meetingId: string, ref: AnnouncementRef): Promise<void> {
	await announcements().set(`announcement.${meetingId}`, ref, KEEP_MS);
}

export function announcementOf(meetingId: string): Promise<AnnouncementRef | undefined> {
	return announcements().get(`announcement.${meetingId}`);
}
