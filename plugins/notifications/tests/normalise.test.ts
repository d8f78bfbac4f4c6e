import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { verifyKalturaSignature } from '../lib/kaltura-signature.js';
import { normaliseNotification, type NotificationType } from '../lib/normalise.js';
import { MAX_JSON_DEPTH, notificationKey, parseNotificationBody, scanJson } from '../lib/parse-notification.js';

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
		[
			'live entry known only by its class',
			{ eventType: 3, eventObjectType: 1, object: { id: '0_l', liveStatus: '1', objectType: 'KalturaLiveStreamEntry' } },
			'live_stream.started'
		],
		['recorded live entry READY', { eventType: 3, eventObjectType: 1, object: { ...media, sourceType: '36' } }, 'recording.ready'],
		['schedule event created, ACTIVE', { eventType: 5, eventObjectType: SCHEDULE, object: { id: 1, status: 2 } }, 'meeting.scheduled'],
		['schedule event added without status', { eventType: 2, eventObjectType: SCHEDULE, object: { id: 1 } }, 'meeting.scheduled'],
		['schedule event changed to CANCELLED', { eventType: 3, eventObjectType: SCHEDULE, object: { id: 1, status: 1 } }, 'meeting.cancelled'],
		['schedule event deleted', { eventType: 7, eventObjectType: SCHEDULE, object: { id: 1, status: 3 } }, 'meeting.cancelled'],
		[
			'the live check’s event created',
			{ eventType: 5, eventObjectType: SCHEDULE, object: { id: 1, status: 2, tags: 'kaltura-discord-bot-live-check' } },
			'unknown'
		],
		[
			'the live check’s event deleted, among other tags',
			{ eventType: 7, eventObjectType: SCHEDULE, object: { id: 1, status: 3, tags: 'a, kaltura-discord-bot-live-check' } },
			'unknown'
		],
		[
			'a meeting whose tag only contains the live check’s',
			{ eventType: 5, eventObjectType: SCHEDULE, object: { id: 1, tags: 'kaltura-discord-bot-live-check-not' } },
			'meeting.scheduled'
		],
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
			expect(normaliseNotification(payload)).to.deep.equal({
				type: 'unknown',
				jobId: null,
				eventType: null,
				eventObjectType: null,
				objectId: null,
				partnerId: null,
				objectChangedAt: null
			});
		}
	});

	it('GIVEN a notification THEN its job id, object id and partner id are read', () => {
		expect(normaliseNotification({ eventNotificationJobId: 7000001, eventType: 3, eventObjectType: 1, object: media })).to.deep.equal({
			type: 'entry.ready',
			jobId: '7000001',
			eventType: 3,
			eventObjectType: '1',
			objectId: '0_media',
			partnerId: 4321,
			objectChangedAt: null
		});
	});

	it('GIVEN an object with updatedAt (or only createdAt) in Unix seconds THEN objectChangedAt is it in milliseconds', () => {
		expect(normaliseNotification({ object: { ...media, createdAt: 1_700_000_000, updatedAt: 1_700_000_100 } }).objectChangedAt).to.equal(
			1_700_000_100_000
		);
		expect(normaliseNotification({ object: { entryId: '0_media', categoryId: 3, createdAt: 1_700_000_000 } }).objectChangedAt).to.equal(
			1_700_000_000_000
		);
		expect(normaliseNotification({ object: { ...media, updatedAt: 'soon' } }).objectChangedAt).to.equal(null);
	});
});

describe('notifications: Kaltura signatures', () => {
	const secret = 'the-admin-secret';
	const body = Buffer.from('{"eventNotificationJobId":1}');
	const sign = (algo: string, data: Buffer = body, key = secret) =>
		createHash(algo)
			.update(Buffer.concat([Buffer.from(key), data]))
			.digest('hex');

	it('GIVEN each pinned algorithm THEN a matching signature named by that algorithm passes, in any letter case', () => {
		for (const algo of ['sha1', 'sha256', 'sha512'] as const) {
			expect(verifyKalturaSignature(secret, body, sign(algo), algo, algo), algo).to.equal(true);
			expect(verifyKalturaSignature(secret, body, sign(algo).toUpperCase(), algo.toUpperCase(), algo), algo).to.equal(true);
		}
	});

	it('GIVEN a request naming another algorithm than the pinned one THEN it fails, even when its own hash matches', () => {
		expect(verifyKalturaSignature(secret, body, sign('sha1'), 'sha1', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, sign('sha512'), 'sha512', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, sign('sha256'), 'sha256', 'sha512')).to.equal(false);
	});

	it('GIVEN no algorithm header THEN it passes only with a SHA-1 pin (servers from before the header)', () => {
		expect(verifyKalturaSignature(secret, body, sign('sha1'), undefined, 'sha1')).to.equal(true);
		expect(verifyKalturaSignature(secret, body, sign('sha256'), undefined, 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, sign('sha1'), undefined, 'sha256')).to.equal(false);
	});

	it('GIVEN a wrong, missing, truncated, re-algorithmed, repeated or unsupported signature THEN it fails', () => {
		expect(verifyKalturaSignature(secret, body, sign('sha256', body, 'other'), 'sha256', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, undefined, 'sha256', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, sign('sha256').slice(0, 40), 'sha256', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, sign('sha256'), 'sha512', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, [sign('sha1')], 'sha1', 'sha1')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, sign('md5'), 'md5', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(secret, body, sign('sha1'), ['sha1', 'sha1'], 'sha1')).to.equal(false);
		expect(verifyKalturaSignature(secret, Buffer.from('{"eventNotificationJobId":2}'), sign('sha1'), 'sha1', 'sha1')).to.equal(false);
	});
});

describe('notifications: parsing notification bodies', () => {
	const json = JSON.stringify({ eventNotificationJobId: 1, object: { id: '0_a', name: 'a & b = c' } });
	const outcome = (raw: string | Buffer) => {
		const parsed = parseNotificationBody(Buffer.isBuffer(raw) ? raw : Buffer.from(raw));
		return parsed.kind === 'parsed' ? 'parsed' : parsed.kind === 'tampered' ? `tampered ${parsed.code}` : `unprocessable ${parsed.reason}`;
	};

	it('GIVEN JSON or data=<url-encoded JSON> (encodeURIComponent or PHP urlencode) THEN the same object', () => {
		const expected = { kind: 'parsed', payload: JSON.parse(json) as unknown };
		expect(parseNotificationBody(Buffer.from(json))).to.deep.equal(expected);
		expect(parseNotificationBody(Buffer.from(`data=${encodeURIComponent(json)}`))).to.deep.equal(expected);
		// PHP's urlencode(): spaces as +, and ! ' ( ) * ~ escaped too.
		const php = encodeURIComponent(json)
			.replace(/%20/g, '+')
			.replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
		expect(parseNotificationBody(Buffer.from(`data=${php}`))).to.deep.equal(expected);
		expect(outcome(`  ${json}\r\n`), 'whitespace around the document is part of a JSON text').to.equal('parsed');
	});

	it('GIVEN bytes after the JSON document (NUL, padding, a second document, garbage) THEN tampered trailing_data', () => {
		expect(outcome(Buffer.concat([Buffer.from(json), Buffer.from([0])]))).to.equal('tampered trailing_data');
		expect(outcome(`${json}{"eventNotificationJobId":2}`)).to.equal('tampered trailing_data');
		expect(outcome(`${json}&data=x`)).to.equal('tampered trailing_data');
		expect(outcome(`data=${encodeURIComponent(`${json}\u0000`)}`)).to.equal('tampered trailing_data');
	});

	it('GIVEN bytes that are not UTF-8 (such as hash padding, 0x80) THEN tampered invalid_utf8', () => {
		expect(outcome(Buffer.concat([Buffer.from(json), Buffer.from([0x80, 0, 0])]))).to.equal('tampered invalid_utf8');
		expect(outcome(Buffer.from([0x7b, 0xff, 0x7d]))).to.equal('tampered invalid_utf8');
	});

	it('GIVEN a data= form with another field, or characters url-encoding never leaves THEN tampered', () => {
		expect(outcome(`data=${encodeURIComponent(json)}&data=${encodeURIComponent('{}')}`)).to.equal('tampered extra_form_field');
		expect(outcome(`data=${encodeURIComponent(json)}&x=1`)).to.equal('tampered extra_form_field');
		expect(outcome(`data=${encodeURIComponent(json)}&`)).to.equal('tampered extra_form_field');
		expect(outcome(`data={"eventNotificationJobId":1}`)).to.equal('tampered malformed_form');
		expect(outcome('data=%7B%2')).to.equal('tampered malformed_form');
		expect(outcome('data=%C3%28')).to.equal('tampered malformed_form');
	});

	it('GIVEN an object that names a key twice, at any depth, however it is escaped THEN tampered duplicate_key', () => {
		expect(outcome('{"eventNotificationJobId":1,"eventNotificationJobId":2}')).to.equal('tampered duplicate_key');
		expect(outcome('{"object":{"id":"0_a","name":"x","id":"0_b"}}')).to.equal('tampered duplicate_key');
		expect(outcome('{"object":{"id":"0_a","i\\u0064":"0_b"}}')).to.equal('tampered duplicate_key');
		expect(outcome('{"list":[{"a":1},{"a":2}],"a":{"a":1}}'), 'the same key in different objects is fine').to.equal('parsed');
		expect(outcome(`data=${encodeURIComponent('{"a":1,"a":2}')}`)).to.equal('tampered duplicate_key');
	});

	it('GIVEN what Kaltura may send but the plugin cannot read THEN unprocessable, with the reason', () => {
		expect(outcome('')).to.equal('unprocessable empty');
		expect(outcome('{"a":')).to.equal('unprocessable not_json');
		expect(outcome('data=%7B%22a')).to.equal('unprocessable not_json');
		expect(outcome('data=<notification><object/></notification>')).to.equal('tampered malformed_form');
		expect(outcome('<notification/>')).to.equal('unprocessable not_json');
		expect(outcome('"text"')).to.equal('unprocessable not_an_object');
		expect(outcome('null')).to.equal('unprocessable not_an_object');
		expect(outcome('entry_id=0_a&entry_status=2')).to.equal('unprocessable form_without_data');
		expect(outcome(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`), 'at the limit').to.equal('unprocessable not_an_object');
		expect(outcome(`{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`)).to.equal('unprocessable too_deep');
		expect(outcome(`{"a":${'['.repeat(100_000)}`), 'no recursion, no stack overflow').to.equal('unprocessable too_deep');
	});

	it('GIVEN valid JSON of every kind of value THEN the scan agrees with JSON.parse', () => {
		const text = '{"s":"a\\"b\\\\c\\u00e9","n":[-0,1.5e3,2E-2,0.25],"t":true,"f":false,"z":null,"o":{},"e":[]}';
		expect(parseNotificationBody(Buffer.from(text))).to.deep.equal({ kind: 'parsed', payload: JSON.parse(text) as unknown });
		for (const bad of [
			'{"a":01}',
			'{"a":1,}',
			'[1,]',
			'{"a" 1}',
			'{a:1}',
			'{"a":"\u0001"}',
			'{"a":tru}',
			'{"a":-}',
			'{"a":1.}',
			'{"a":"\\x"}',
			'{"a":"\\u12"}',
			'{"a":"abc',
			'{"a\\q":1}',
			'{"a":1 "b":2}'
		]) {
			expect(outcome(bad), bad).to.equal('unprocessable not_json');
		}
	});

	it('GIVEN 20,000 random texts of JSON pieces THEN the scan accepts exactly what JSON.parse accepts (but for repeated keys)', () => {
		const pieces = [
			'{',
			'}',
			'[',
			']',
			',',
			':',
			'"a"',
			'"b"',
			'"\\u0061"',
			'"\\n"',
			'"\\q"',
			'1',
			'-0.5e2',
			'01',
			'true',
			'nul',
			' ',
			'\t',
			'"',
			'x'
		];
		let seed = 42;
		const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
		for (let round = 0; round < 20_000; round++) {
			const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
			let valid = true;
			try {
				JSON.parse(text);
			} catch {
				valid = false;
			}
			const scan = scanJson(text);
			if (valid) expect(scan.kind === 'parsed' || (scan.kind === 'tampered' && scan.code === 'duplicate_key'), text).to.equal(true);
			else expect(scan.kind, text).to.not.equal('parsed');
		}
	});

	it('GIVEN a job id THEN it is the key; without one, the SHA-256 of the body', () => {
		expect(notificationKey('7000001', Buffer.from(json))).to.equal('job:7000001');
		expect(notificationKey(null, Buffer.from(json))).to.equal(`sha256:${createHash('sha256').update(json).digest('hex')}`);
	});
});
