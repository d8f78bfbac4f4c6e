import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { verifyKalturaSignature } from '../../../plugins/notifications/lib/kaltura-signature.js';
import { normaliseNotification, type NotificationType } from '../../../plugins/notifications/lib/normalise.js';
import { notificationKey, parseNotificationBody } from '../../../plugins/notifications/lib/parse-notification.js';
import { ApiError } from '../../../src/core/api/api-error.js';

const SCHEDULE = 'scheduleEventNotifications.ScheduleEvent';
const media = { id: '0_media', partnerId: 4321, status: 2, type: 1, sourceType: '1', objectType: 'KalturaMediaEntry' };
const live = { id: '0_live', partnerId: 4321, status: 2, type: 7, liveStatus: 0, objectType: 'KalturaLiveStreamEntry' };

describe('notifications: normalising Kaltura notifications', () => {
	const cases: [string, Record<string, unknown>, NotificationType][] = [
		['entry changed while READY', { eventType: 3, eventObjectType: 1, object: media }, 'entry.ready'],
		['entry changed while not READY', { eventType: 3, eventObjectType: 1, object: { ...media, status: 4 } }, 'unknown'],
		['entry added (OBJECT_ADDED)', { eventType: 2, eventObjectType: 1, object: { ...media, status: 7 } }, 'entry.added'],
		['entry created (OBJECT_CREATED)', { eventType: 5, eventObjectType: 1, object: media }, 'unknown'],
		['entry deleted', { eventType: 7, eventObjectType: 1, object: { ...media, status: 3 } }, 'unknown'],
		['category entry created', { eventType: 5, eventObjectType: 37, object: { entryId: '0_media', categoryId: 3 } }, 'entry.added_to_category'],
		['category entry added, event object type as a string', { eventType: 2, eventObjectType: '37', object: {} }, 'entry.added_to_category'],
		['live stream changed to PLAYABLE', { eventType: 3, eventObjectType: 1, object: { ...live, liveStatus: 1 } }, 'live_stream.started'],
		['live stream changed to STOPPED', { eventType: 3, eventObjectType: 1, object: live }, 'live_stream.ended'],
		['live stream BROADCASTING (not playable yet)', { eventType: 3, eventObjectType: 1, object: { ...live, liveStatus: 2 } }, 'unknown'],
		['live entry known only by its class', { eventType: 3, eventObjectType: 1, object: { id: '0_l', liveStatus: '1', objectType: 'KalturaLiveStreamEntry' } }, 'live_stream.started'],
		['recorded live entry READY', { eventType: 3, eventObjectType: 1, object: { ...media, sourceType: '36' } }, 'recording.ready'],
		['schedule event created, ACTIVE', { eventType: 5, eventObjectType: SCHEDULE, object: { id: 1, status: 2 } }, 'meeting.scheduled'],
		['schedule event added without status', { eventType: 2, eventObjectType: SCHEDULE, object: { id: 1 } }, 'meeting.scheduled'],
		['schedule event changed to CANCELLED', { eventType: 3, eventObjectType: SCHEDULE, object: { id: 1, status: 1 } }, 'meeting.cancelled'],
		['schedule event deleted', { eventType: 7, eventObjectType: SCHEDULE, object: { id: 1, status: 3 } }, 'meeting.cancelled'],
		['schedule event changed, still ACTIVE', { eventType: 3, eventObjectType: SCHEDULE, object: { id: 1, status: 2 } }, 'unknown'],
		['user created', { eventType: 5, eventObjectType: 8, object: { id: 'ada' } }, 'user.created'],
		['user changed', { eventType: 3, eventObjectType: 8, object: { id: 'ada' } }, 'unknown'],
		['category changed', { eventType: 3, eventObjectType: 2, object: { id: 5 } }, 'unknown'],
		['no event fields at all', {}, 'unknown'],
		['fields template (entry_id form fields)', { entry_id: '0_media', entry_status: '2' }, 'unknown']
	];
	for (const [name, payload, type] of cases) {
		it(`${name} → ${type}`, () => expect(normaliseNotification(payload).type).to.equal(type));
	}

	it('GIVEN anything that is not an object THEN unknown, with nulls, never an exception', () => {
		for (const payload of [null, 3, 'text', [1, 2], { object: 'not an object', eventType: 'x' }]) {
			expect(normaliseNotification(payload)).to.deep.equal({ type: 'unknown', jobId: null, eventType: null, eventObjectType: null, objectId: null, partnerId: null });
		}
	});

	it('GIVEN a notification THEN its job id, object id and partner id are read', () => {
		expect(normaliseNotification({ eventNotificationJobId: 7000001, eventType: 3, eventObjectType: 1, object: media })).to.deep.equal({
			type: 'entry.ready', jobId: '7000001', eventType: 3, eventObjectType: '1', objectId: '0_media', partnerId: 4321
		});
	});
});

describe('notifications: Kaltura signatures', () => {
	const secret = 'the-admin-secret';
	const body = Buffer.from('{"eventNotificationJobId":1}');
	const sign = (algo: string, data: Buffer = body, key = secret) => createHash(algo).update(Buffer.concat([Buffer.from(key), data])).digest('hex');

	it('GIVEN each supported algorithm THEN a matching signature passes, in any letter case', () => {
		for (const algo of ['sha1', 'sha256', 'sha512']) {
			expect(verifyKalturaSignature(secret, body, sign(algo), algo), algo).to.equal(true);
			expect(verifyKalturaSignature(secret, body, sign(algo).toUpperCase(), algo.toUpperCase()), algo).to.equal(true);
		}
	});

	it('GIVEN no algorithm header THEN SHA-1 is assumed', () => {
		expect(verifyKalturaSignature(secret, body, sign('sha1'), undefined)).to.equal(true);
		expect(verifyKalturaSignature(secret, body, sign('sha256'), undefined)).to.equal(false);
	});

	it('GIVEN a wrong, missing, truncated, re-algorithmed, repeated or unsupported signature THEN it fails', () => {
		expect(verifyKalturaSignature(secret, body, sign('sha256', body, 'other'), 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, undefined, 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, sign('sha256').slice(0, 40), 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, sign('sha256'), 'sha512')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, [sign('sha1')], 'sha1')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, sign('md5'), 'md5')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, sign('sha1'), ['sha1', 'sha1'])).to.equal(false);
		expect(verifyKalturaSignature(secret, Buffer.from('{"eventNotificationJobId":2}'), sign('sha1'), 'sha1')).to.equal(false);
	});
});

describe('notifications: parsing notification bodies', () => {
	const json = JSON.stringify({ eventNotificationJobId: 1, object: { id: '0_a', name: 'a & b = c' } });
	const badRequest = (raw: string, type?: string) => {
		try {
			parseNotificationBody(Buffer.from(raw), type);
		} catch (error) {
			return error instanceof ApiError ? `${error.status} ${error.code}` : 'other';
		}
		return 'parsed';
	};

	it('GIVEN JSON or data=<url-encoded JSON> THEN the same object', () => {
		const expected = JSON.parse(json) as unknown;
		expect(parseNotificationBody(Buffer.from(json), 'application/json')).to.deep.equal(expected);
		expect(parseNotificationBody(Buffer.from(`data=${encodeURIComponent(json)}`), 'application/x-www-form-urlencoded')).to.deep.equal(expected);
		expect(parseNotificationBody(Buffer.from(`data=${encodeURIComponent(json)}`), undefined)).to.deep.equal(expected);
	});

	it('GIVEN form fields without data THEN an object of the fields', () => {
		expect(parseNotificationBody(Buffer.from('entry_id=0_a&entry_status=2'), 'application/x-www-form-urlencoded')).to.deep.equal({ entry_id: '0_a', entry_status: '2' });
	});

	it('GIVEN an empty, malformed or non-object body THEN 400', () => {
		expect(badRequest('')).to.equal('400 empty_body');
		expect(badRequest('{"a":')).to.equal('400 malformed_json');
		expect(badRequest('data=%7B%22a', 'application/x-www-form-urlencoded')).to.equal('400 malformed_json');
		expect(badRequest('"text"')).to.equal('400 invalid_notification');
		expect(badRequest('null')).to.equal('400 invalid_notification');
	});

	it('GIVEN a job id THEN it is the key; without one, the SHA-256 of the body', () => {
		expect(notificationKey('7000001', Buffer.from(json))).to.equal('job:7000001');
		expect(notificationKey(null, Buffer.from(json))).to.equal(`sha256:${createHash('sha256').update(json).digest('hex')}`);
	});
});
