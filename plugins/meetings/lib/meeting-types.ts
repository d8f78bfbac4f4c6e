/** What `/meeting start type:` offers; each is a different kind of Kaltura object (see create-meeting.ts). */
export const MEETING_TYPES = ['meeting', 'classroom', 'webinar'] as const;

export type MeetingType = (typeof MEETING_TYPES)[number];

export const MEETING_TYPE_LABELS: Readonly<Record<MeetingType, string>> = {
	meeting: 'Meeting',
	classroom: 'Virtual classroom',
	webinar: 'Webinar'
};

export function isMeetingType(value: unknown): value is MeetingType {
	return typeof value === 'string' && (MEETING_TYPES as readonly string[]).includes(value);
}
