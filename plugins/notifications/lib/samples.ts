import type { NotificationType } from './normalise.js';

type SampleType = Exclude<NotificationType, 'unknown'>;

const NOTE = 'This is a sample post from /notifications test.';

/** A media entry as Kaltura sends it (KalturaMediaEntry): what the entry and recording events carry. */
function sampleEntry(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		id: '0_sample00',
		name,
		description: NOTE,
		duration: 125,
		userId: 'sample.owner',
		categories: 'Sample category',
		categoriesIds: '1',
		...extra
	};
}

/**
 * A schedule event as Kaltura sends it (KalturaScheduleEvent, kaltura/server plugins/schedule/base/lib/api/
 * KalturaScheduleEvent.php): `summary` is its title, `startDate` and `endDate` are Unix seconds. The sample
 * starts at the next full hour a day from now and lasts half an hour.
 */
function sampleMeeting(now: number): Record<string, unknown> {
	const start = Math.ceil(now / 3_600_000) * 3600 + 86_400;
	return {
		id: 1,
		summary: 'Sample meeting',
		description: NOTE,
		startDate: start,
		endDate: start + 1800,
		duration: 1800,
		ownerId: 'sample.owner',
		status: 2
	};
}

/**
 * The object of a sample event of each type, shaped as Kaltura's own object of that event, so that a sample
 * reads as the real post would: a user is a user (KalturaUser: `screenName`, `fullName`), a category entry
 * carries ids and no name (KalturaCategoryEntry), a meeting has its times.
 */
export function sampleObject(type: SampleType, now = Date.now()): Record<string, unknown> {
	switch (type) {
		case 'entry.ready':
		case 'entry.added':
			return sampleEntry('Sample video');
		case 'entry.added_to_category':
			return { entryId: '0_sample00', categoryId: 1, categoryFullIds: '1', creatorUserId: 'sample.owner', status: 2 };
		case 'live_stream.started':
		case 'live_stream.ended':
			return sampleEntry('Sample live stream', { type: 7 });
		case 'recording.ready':
			return sampleEntry('Sample recording', { sourceType: '36' });
		case 'meeting.scheduled':
		case 'meeting.cancelled':
			return sampleMeeting(now);
		case 'user.created':
			return { id: 'sample.user', screenName: 'Sample user', fullName: 'Sample User', description: NOTE, status: 1 };
	}
}
