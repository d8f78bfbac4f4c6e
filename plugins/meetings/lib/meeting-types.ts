/** What `/meeting start type:` offers; each is a different kind of Kaltura object (see create-meeting.ts). */
export const MEETING_TYPES = ['meeting', 'classroom', 'webinar', 'live'] as const;

export type MeetingType = (typeof MEETING_TYPES)[number];

export const MEETING_TYPE_LABELS: Readonly<Record<MeetingType, string>> = {
	meeting: 'Meeting',
	classroom: 'Virtual classroom',
	webinar: 'Webinar',
	live: 'Live stream'
};

export function isMeetingType(value: unknown): value is MeetingType {
	return MEETING_TYPES.some((type) => type === value);
}

/** A live stream is watched in the player; every other type is a Kaltura Meetings room joined through KAF. */
export const isLiveStream = (type: MeetingType): boolean => type === 'live';
