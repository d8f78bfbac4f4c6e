import { expect } from 'chai';
import { renderMessage } from '../lib/render.js';
import { sampleObject } from '../lib/samples.js';
import { TEMPLATE_TYPES } from '../lib/templates.js';
import { maskedLinkTargets } from '../../../tests/helpers/markdown-links.js';

interface Embed {
	title?: string;
	description?: string;
	fields?: { name: string; value: string; inline?: boolean }[];
}
const embedOf = (body: Record<string, unknown>) => (body.embeds as Embed[])[0]!;
const WATCH = 'https://42.mediaspace.kaltura.com/media/t/0_x';

describe('notifications: posts fit their event and are cut only between whole pieces of markdown', () => {
	it('GIVEN a scheduled meeting THEN its start (full and relative) and end are Discord timestamps, from startDate and endDate', () => {
		const start = 1_900_000_000;
		const object = { id: 17, summary: 'Weekly sync', startDate: start, endDate: start + 1800, status: 2 };
		const embed = embedOf(renderMessage('meeting.scheduled', { object }, 42, null));
		expect(embed.title).to.equal('Meeting scheduled: Weekly sync');
		expect(embed.fields).to.deep.equal([
			{ name: 'Starts', value: `<t:${start}:F> (<t:${start}:R>)`, inline: true },
			{ name: 'Ends', value: `<t:${start + 1800}:F>`, inline: true }
		]);
		// A cancelled meeting says which time was given up; a string of digits (PHP's JSON of a time) reads the same.
		expect(
			embedOf(renderMessage('meeting.cancelled', { object: { ...object, startDate: String(start), status: 1 } }, 42, null)).fields?.[0]?.value
		).to.equal(`<t:${start}:F> (<t:${start}:R>)`);
	});

	it('GIVEN a meeting without a start, or an event that is no meeting THEN no time fields', () => {
		expect(embedOf(renderMessage('meeting.scheduled', { object: { id: 1, summary: 'No time' } }, 42, null)).fields).to.equal(undefined);
		expect(embedOf(renderMessage('entry.ready', { object: { id: '0_x', name: 'V', startDate: 1_900_000_000 } }, 42, null)).fields).to.equal(
			undefined
		);
	});

	it('GIVEN each event type THEN its sample is an object of that kind: a user is no video, a meeting has its time', () => {
		const titles = Object.fromEntries(
			TEMPLATE_TYPES.map((type) => [type, embedOf(renderMessage(type, { object: sampleObject(type) }, 42, null)).title ?? ''])
		);
		expect(titles['user.created']).to.equal('New Kaltura user: Sample user');
		expect(titles['meeting.scheduled']).to.equal('Meeting scheduled: Sample meeting');
		expect(titles['live_stream.started']).to.equal('Live stream started: Sample live stream');
		expect(titles['recording.ready']).to.equal('Recording ready: Sample recording');
		expect(titles['entry.ready']).to.equal('New video ready: Sample video');
		for (const type of ['user.created', 'meeting.scheduled', 'meeting.cancelled'] as const) expect(titles[type], type).to.not.match(/video/i);
		for (const type of ['meeting.scheduled', 'meeting.cancelled'] as const)
			expect(embedOf(renderMessage(type, { object: sampleObject(type) }, 42, null)).fields, type).to.have.length(2);
		// Only what is about an entry has a Watch button.
		const watch = (type: (typeof TEMPLATE_TYPES)[number]) =>
			renderMessage(type, { object: sampleObject(type) }, 42, null).components !== undefined;
		expect(TEMPLATE_TYPES.filter(watch)).to.have.members([
			'entry.ready',
			'entry.added',
			'entry.added_to_category',
			'live_stream.started',
			'live_stream.ended',
			'recording.ready'
		]);
	});

	it('GIVEN a description too long for Discord before the admin’s link THEN the link is kept whole and the description cut', () => {
		const object = { id: '0_x', name: 'Launch', description: 'word '.repeat(2000) };
		const embed = embedOf(
			renderMessage('entry.ready', { object }, 42, null, {
				title: '{title}',
				description: '{description}\n[Watch it here]({url}) · **{title}**'
			})
		);
		expect(embed.description!.length).to.be.at.most(4096);
		expect(maskedLinkTargets(embed.description!)).to.deep.equal([WATCH]);
		expect(embed.description).to.match(/word ?…\n\[Watch it here\]\(https:\/\/42\.mediaspace\.kaltura\.com\/media\/t\/0_x\) · \*\*Launch\*\*$/);
	});

	it('GIVEN a template whose own links alone are too long THEN the cut leaves out whole links, never half of one', () => {
		const object = { id: '0_x', name: 'Launch', description: 'short' };
		const description = Array.from({ length: 100 }, (_, index) => `[Watch ${index}]({url})`).join(' ');
		const embed = embedOf(renderMessage('entry.ready', { object }, 42, null, { title: '{title}', description }));
		expect(embed.description!.length).to.be.at.most(4096);
		expect(embed.description).to.match(/\)…$/);
		expect(embed.description!.replaceAll(/\[Watch \d+\]\(https:\/\/42\.mediaspace\.kaltura\.com\/media\/t\/0_x\)/g, '')).to.match(/^ *…$/);
	});
});
