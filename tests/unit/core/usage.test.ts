import { expect } from 'chai';
import { recordUsage, setUsageListener, type UsageEvent } from '../../../src/core/metrics/usage.js';

describe('usage hook (recordUsage)', () => {
	it('GIVEN a listener THEN events reach it until it unregisters, and a later listener stays', () => {
		const heard: [string, UsageEvent, unknown][] = [];
		const stop = setUsageListener((guildId, event, detail) => heard.push([guildId, event, detail]));
		recordUsage('1', 'meeting_started', { meetingType: 'live' });
		recordUsage('1', 'video_searched');
		stop();
		recordUsage('1', 'video_searched');
		expect(heard).to.deep.equal([
			['1', 'meeting_started', { meetingType: 'live' }],
			['1', 'video_searched', {}]
		]);

		const later: UsageEvent[] = [];
		const stopLater = setUsageListener((_guildId, event) => later.push(event));
		stop();
		recordUsage('2', 'notification_failed');
		stopLater();
		expect(later).to.deep.equal(['notification_failed']);
	});

	it('GIVEN a listener that throws THEN the caller goes on', () => {
		const stop = setUsageListener(() => {
			throw new Error('store down');
		});
		try {
			expect(() => recordUsage('1', 'meeting_joined', { memberId: '5' })).not.to.throw();
		} finally {
			stop();
		}
	});
});
