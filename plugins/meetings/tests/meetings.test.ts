import { expect } from 'chai';
import {
	endConfirmButtonId,
	joinButtonId,
	listPageButtonId,
	parseEndConfirmButtonId,
	parseJoinButtonId,
	parseListPageButtonId
} from '../lib/custom-ids.js';
import { joinPrivileges, kafBaseUrl, privilegeSafeName, watchLinkOf } from '../lib/join-link.js';
import { ingestOf } from '../lib/live-ingest.js';
import { LinkPolicyError } from '../../../src/core/policy/link-url.js';
import { meetingStatus, toMeeting } from '../lib/meeting.js';
import { planMeeting } from '../lib/meeting-input.js';
import { guildReferenceId, originTags, parseOriginTags } from '../lib/meeting-tags.js';
import { titleFromMessage } from '../lib/meeting-title.js';
import { meetingsConfigSchema } from '../lib/meetings-config.js';

const NOW = 1_800_000_000;

describe('meetings plugin: pure parts', () => {
	describe('planMeeting', () => {
		it('GIVEN no duration or start THEN it starts now and lasts the default', () => {
			expect(planMeeting({ type: 'meeting', title: '  Standup ' }, 60, NOW)).to.deep.equal({
				ok: true,
				plan: { type: 'meeting', title: 'Standup', description: '', startsAt: NOW, endsAt: NOW + 3600 }
			});
		});

		it('GIVEN titles, durations and starts out of range THEN each is refused with its limit', () => {
			const reason = (request: Parameters<typeof planMeeting>[0]) => {
				const result = planMeeting(request, 60, NOW);
				return result.ok ? 'accepted' : result.reason;
			};
			expect(reason({ type: 'meeting', title: '   ' })).to.equal('A meeting title has 1 to 256 characters.');
			expect(reason({ type: 'meeting', title: 'x'.repeat(257) })).to.equal('A meeting title has 1 to 256 characters.');
			expect(reason({ type: 'meeting', title: 'x'.repeat(256) })).to.equal('accepted');
			expect(reason({ type: 'meeting', title: 'x', durationMinutes: 4 })).to.include('from 5 minutes to 24 hours');
			expect(reason({ type: 'meeting', title: 'x', durationMinutes: 1441 })).to.include('from 5 minutes to 24 hours');
			expect(reason({ type: 'meeting', title: 'x', durationMinutes: 1440 })).to.equal('accepted');
			expect(reason({ type: 'meeting', title: 'x', durationMinutes: Number.NaN })).to.include('from 5 minutes');
			expect(reason({ type: 'meeting', title: 'x', startsAt: NOW - 3600 })).to.equal('A meeting cannot start in the past.');
			expect(reason({ type: 'meeting', title: 'x', startsAt: NOW - 30 })).to.equal('accepted');
		});
	});

	describe('origin tags', () => {
		it('GIVEN a classroom THEN its tags carry the origin and the classroom mode, and read back', () => {
			const origin = {
				guildId: '111111111111111111',
				channelId: '222222222222222222',
				hostId: '333333333333333333',
				type: 'classroom' as const
			};
			const tags = originTags(origin);
			expect(tags).to.include('custom_rs_class_mode:virtual_classroom');
			expect(parseOriginTags(tags)).to.deep.equal(origin);
			expect(parseOriginTags('vcprovider:newrow')).to.equal(undefined);
			expect(guildReferenceId('12')).to.equal('discord_guild_12');
		});

		it('GIVEN an event from Kaltura THEN it becomes a meeting with a status; foreign events are skipped', () => {
			const tags = originTags({
				guildId: '111111111111111111',
				channelId: '222222222222222222',
				hostId: '333333333333333333',
				type: 'webinar'
			});
			const meeting = toMeeting({ id: 7, summary: 'Q&A', tags, startDate: NOW, endDate: NOW + 600, status: 2 })!;
			expect(meeting).to.include({ id: '7', title: 'Q&A', type: 'webinar', hostId: '333333333333333333', cancelled: false });
			expect(meetingStatus(meeting, NOW - 1)).to.equal('scheduled');
			expect(meetingStatus(meeting, NOW + 1)).to.equal('live');
			expect(meetingStatus(meeting, NOW + 600)).to.equal('ended');
			expect(meetingStatus({ ...meeting, cancelled: true }, NOW + 1)).to.equal('ended');
			expect(toMeeting({ id: 8, summary: 'x', tags: 'other', startDate: NOW, endDate: NOW + 1 })).to.equal(null);
			expect(toMeeting({ id: 9, summary: '', tags, startDate: NOW, endDate: NOW + 1 })!.title).to.equal('Untitled meeting');
		});
	});

	describe('webinars and live streams', () => {
		const origin = { guildId: '111111111111111111', channelId: '222222222222222222', hostId: '333333333333333333' };

		it('GIVEN a webinar THEN its event carries the room’s webinar mode, and no classroom mode', () => {
			const tags = originTags({ ...origin, type: 'webinar' }).split(',');
			expect(tags).to.include('custom_rs_class_mode:webinar').and.not.include('custom_rs_class_mode:virtual_classroom');
			expect(originTags({ ...origin, type: 'live' })).to.not.include('custom_rs_class_mode');
		});

		it('GIVEN a live stream event THEN its entry is read back; without one it is not a meeting the bot can show', () => {
			const tags = originTags({ ...origin, type: 'live' });
			expect(
				toMeeting({ id: 10, summary: 'Launch', tags, startDate: NOW, endDate: NOW + 60, status: 2, templateEntryId: '0_abcd1234' })
			).to.include({ type: 'live', entryId: '0_abcd1234' });
			expect(toMeeting({ id: 11, summary: 'Launch', tags, startDate: NOW, endDate: NOW + 60, status: 2 })).to.equal(null);
			expect(
				toMeeting({
					id: 12,
					summary: 'Launch',
					tags,
					startDate: NOW,
					endDate: NOW + 60,
					status: 2,
					templateEntryId: '0_x)[y](https://evil.example'
				})
			).to.equal(null);
			expect(
				toMeeting({
					id: 13,
					summary: 'Room',
					tags: originTags({ ...origin, type: 'meeting' }),
					startDate: NOW,
					endDate: NOW + 60,
					templateEntryId: '0_abcd1234'
				})
			).to.not.have.property('entryId');
		});

		it('GIVEN a new live entry THEN the ingest details are read, the stream key being the first stream name', () => {
			expect(
				ingestOf({
					id: '0_abcd1234',
					streamName: '0_abcd1234_%i',
					primaryBroadcastingUrl: 'rtmp://p.example:1935/kLive?t=secret12',
					secondaryBroadcastingUrl: 'rtmp://b.example:1935/kLive?t=secret12',
					primarySecuredBroadcastingUrl: '',
					primarySrtBroadcastingUrl: 'srt://p.example:7045',
					primarySrtStreamId: '#:::e=0_abcd1234,st=0,p=secret12'
				})
			).to.deep.equal({
				rtmpUrl: 'rtmp://p.example:1935/kLive?t=secret12',
				streamKey: '0_abcd1234_1',
				backupRtmpUrl: 'rtmp://b.example:1935/kLive?t=secret12',
				srtUrl: 'srt://p.example:7045',
				srtStreamId: '#:::e=0_abcd1234,st=0,p=secret12'
			});
			expect(ingestOf({ id: '0_abcd1234', streamName: '0_abcd1234_%i' })).to.equal(undefined);
		});

		it('GIVEN a partner without an SRT domain (Kaltura still sends srt://:7045 and the stream ids) THEN no SRT details are shown', () => {
			expect(
				ingestOf({
					id: '0_abcd1234',
					streamName: '%i',
					primaryBroadcastingUrl: 'rtmp://p.example:1935/kLive?t=secret12',
					primarySrtBroadcastingUrl: 'srt://:7045',
					primarySrtStreamId: '#:::e=0_abcd1234,st=0,p=secret12',
					secondarySrtBroadcastingUrl: 'srt://:7045',
					secondarySrtStreamId: '#:::e=0_abcd1234,st=1,p=secret12'
				})
			).to.deep.equal({ rtmpUrl: 'rtmp://p.example:1935/kLive?t=secret12', streamKey: '1' });
		});

		it('GIVEN the watch template THEN the entry id is filled in, and a host the operator does not allow is refused', () => {
			const template = 'https://{partnerId}.mediaspace.kaltura.com/media/t/{entryId}';
			expect(watchLinkOf(template, 77, '0_abcd1234', { linkHosts: ['77.mediaspace.kaltura.com'] })).to.equal(
				'https://77.mediaspace.kaltura.com/media/t/0_abcd1234'
			);
			expect(() => watchLinkOf(template, 77, '0_abcd1234', { linkHosts: ['77.kaf.kaltura.com'] })).to.throw(
				LinkPolicyError,
				'meetings.watchUrlTemplate'
			);
		});
	});

	describe('join privileges', () => {
		it('GIVEN a display name with commas or colons THEN it cannot add a privilege', () => {
			expect(privilegeSafeName('Max,role:adminRole')).to.equal('MaxroleadminRole');
			expect(privilegeSafeName('🎉🎉')).to.equal('Guest');
			expect(privilegeSafeName('Zoë O’Brien-Smith')).to.equal('Zoë OBrien-Smith');
			expect(joinPrivileges('42', 'viewerRole', 'Max, the 1st')).to.equal(
				'eventId:42,role:viewerRole,userContextualRole:3,firstName:Max the 1st'
			);
			expect(joinPrivileges('42', 'adminRole', 'Kim')).to.equal('eventId:42,role:adminRole,userContextualRole:0,firstName:Kim');
		});

		it('GIVEN the KAF template THEN the partner id is filled in and a trailing slash dropped', () => {
			expect(kafBaseUrl('https://{partnerId}.kaf.kaltura.com/', 123, { linkHosts: ['123.kaf.kaltura.com'] })).to.equal(
				'https://123.kaf.kaltura.com'
			);
		});
	});

	it('GIVEN messages THEN the context-menu title is the first non-empty line, cut to 256, or names the author', () => {
		expect(titleFromMessage('\n  Chapter 3?  \nmore', 'max')).to.equal('Chapter 3?');
		expect(titleFromMessage('', 'max')).to.equal('Meeting about max’s message');
		const long = titleFromMessage('y'.repeat(300), 'max');
		expect(long).to.have.lengthOf(256);
		expect(long.endsWith('…')).to.equal(true);
	});

	it('GIVEN custom ids THEN they round-trip and foreign or malformed ones are ignored', () => {
		expect(parseJoinButtonId(joinButtonId('123'))).to.equal('123');
		expect(parseEndConfirmButtonId(endConfirmButtonId('9'))).to.equal('9');
		expect(parseListPageButtonId(listPageButtonId(2))).to.equal(2);
		expect(parseJoinButtonId('meetings:join:abc')).to.equal(undefined);
		expect(parseJoinButtonId('greeter:wave:1')).to.equal(undefined);
		expect(parseEndConfirmButtonId(joinButtonId('1'))).to.equal(undefined);
	});

	it('GIVEN the config schema THEN defaults apply and bad values are refused', () => {
		expect(meetingsConfigSchema.parse({})).to.deep.equal({
			kafBaseUrl: 'https://{partnerId}.kaf.kaltura.com',
			watchUrlTemplate: 'https://{partnerId}.mediaspace.kaltura.com/media/t/{entryId}',
			defaultDurationMinutes: 60,
			whoCanStart: 'moderators'
		});
		// `/config set` hands over `123` as a number; it is kept as the id it is.
		expect(meetingsConfigSchema.parse({ liveCategoryId: 123 }).liveCategoryId).to.equal('123');
		expect(meetingsConfigSchema.safeParse({ liveCategoryId: 'abc' }).success).to.equal(false);
		expect(meetingsConfigSchema.safeParse({ watchUrlTemplate: 'https://{partnerId}.mediaspace.kaltura.com/media/t/' }).success).to.equal(false);
		expect(meetingsConfigSchema.safeParse({ kafBaseUrl: 'https://{partnerId}.kaf.example.org' }).success).to.equal(true);
		expect(meetingsConfigSchema.safeParse({ kafBaseUrl: 'ftp://x' }).success).to.equal(false);
		expect(meetingsConfigSchema.safeParse({ defaultDurationMinutes: 2 }).success).to.equal(false);
		expect(meetingsConfigSchema.safeParse({ whoCanStart: 'admins' }).success).to.equal(false);
	});
});
