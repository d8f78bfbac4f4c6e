import { expect } from 'chai';
import { subscribedReply } from '../commands/notifications.js';
import { parseEventList } from '../lib/event-choices.js';
import type { Subscription } from '../lib/store/notification-store.js';

const earlier = (changes: Partial<Subscription> = {}): Subscription => ({
	guildId: 'g',
	channelId: '1',
	events: ['*'],
	categoryId: null,
	roleId: null,
	enabled: true,
	disabledReason: null,
	...changes
});

describe('notifications: what /notifications subscribe takes and says', () => {
	it('GIVEN an events list with no name in it THEN it is empty, not every event; only all is all', () => {
		for (const input of ['', ',', ' , ,', ',,,']) expect(parseEventList(input), JSON.stringify(input)).to.deep.equal({ empty: true });
		expect(parseEventList('all')).to.deep.equal({ events: ['*'] });
		expect(parseEventList(',entry-ready,')).to.deep.equal({ events: ['entry.ready'] });
	});

	it('GIVEN the subscription a channel had THEN the reply says what it replaced, that it is the same, or that it was paused', () => {
		const terms = { events: ['entry.ready'], categoryId: '7', roleId: null };
		expect(subscribedReply('1', terms, null)).to.equal('<#1> now gets `entry.ready` in category 7.');
		expect(subscribedReply('1', terms, earlier({ roleId: '5' }))).to.equal(
			'<#1> now gets `entry.ready` in category 7. This replaces its earlier subscription: every Kaltura event, mentioning <@&5>.'
		);
		expect(subscribedReply('1', terms, earlier({ events: ['entry.ready'], categoryId: '7' }))).to.equal(
			'<#1> now gets `entry.ready` in category 7. That is the subscription it had already.'
		);
		expect(
			subscribedReply('1', terms, earlier({ events: ['entry.ready'], categoryId: '7', enabled: false, disabledReason: '403 Missing Access' }))
		).to.equal(
			'<#1> now gets `entry.ready` in category 7. That is the subscription it had already. It was paused (403 Missing Access) and is on again.'
		);
	});
});
