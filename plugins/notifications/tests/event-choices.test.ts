import { expect } from 'chai';
import { parseEventList } from '../commands/notifications.js';
import { eventListCompletions, eventNameOf, SUBSCRIBABLE_TYPES } from '../lib/event-choices.js';

const values = (typed: string) => eventListCompletions(typed).map((choice) => choice.value);

describe('notifications: choosing event types (autocomplete and parsing)', () => {
	it('GIVEN nothing typed THEN all and every type are offered, all first', () => {
		expect(values('')).to.deep.equal(['all', ...SUBSCRIBABLE_TYPES]);
	});

	it('GIVEN the start of a type THEN the types starting with it, then those containing it', () => {
		expect(values('entry')).to.deep.equal(['entry.ready', 'entry.added', 'entry.added_to_category']);
		expect(values('ready')).to.deep.equal(['entry.ready', 'recording.ready']);
	});

	it('GIVEN hyphens, underscores, spaces or capitals THEN the type is still found, written as the command stores it', () => {
		expect(values('entry-ready')).to.deep.equal(['entry.ready']);
		expect(values('Live-Stream-Sta')).to.deep.equal(['live_stream.started']);
		expect(values('LIVE_STREAM')).to.deep.equal(['live_stream.started', 'live_stream.ended']);
		expect(values('user created')).to.deep.equal(['user.created']);
	});

	it('GIVEN types before a comma THEN each completion keeps them, leaves out the chosen ones, and offers no all', () => {
		expect(values('entry.ready,live')).to.deep.equal(['entry.ready,live_stream.started', 'entry.ready,live_stream.ended']);
		expect(values('Entry-Ready, '))
			.to.include.members(['entry.ready', 'entry.ready,entry.added'])
			.and.not.include('entry.ready,entry.ready')
			.and.not.include('entry.ready,all');
		expect(values('entry.ready,')[0], 'the list as it stands first').to.equal('entry.ready');
	});

	it('GIVEN an unknown name before the comma THEN it is kept as typed (the command refuses it when sent)', () => {
		expect(values('video.exploded,entry.rea')).to.deep.equal(['video.exploded,entry.ready']);
	});

	it('GIVEN a list longer than a choice may be THEN no choice goes beyond Discord’s 100 characters, and at most 25 are offered', () => {
		const long = SUBSCRIBABLE_TYPES.slice(0, 6).join(',');
		for (const choice of eventListCompletions(`${long},`)) {
			expect(choice.value.length).to.be.at.most(100);
			expect(choice.name).to.equal(choice.value);
		}
		expect(eventListCompletions('').length).to.be.at.most(25);
	});

	it('GIVEN a comma list in any spelling THEN the command understands it the same way', () => {
		expect(eventNameOf('ENTRY_READY')).to.equal('entry.ready');
		expect(eventNameOf('entry-added-to-category')).to.equal('entry.added_to_category');
		expect(parseEventList('entry-ready, Live-Stream-Started')).to.deep.equal({ events: ['entry.ready', 'live_stream.started'] });
		expect(parseEventList('entry-ready,entry.ready')).to.deep.equal({ events: ['entry.ready'] });
		expect(parseEventList('ALL')).to.deep.equal({ events: ['*'] });
		expect(parseEventList('entry-ready,video.exploded')).to.deep.equal({ unknown: ['video.exploded'] });
		expect(parseEventList('unknown')).to.deep.equal({ unknown: ['unknown'] });
	});
});
