import { expect } from 'chai';
import { announcement, meetingLine } from '../lib/meeting-embed.js';
import type { Meeting } from '../lib/meeting.js';
import { titleFromMessage } from '../lib/meeting-title.js';
import { startedReply } from '../lib/started-reply.js';
import { hasLoneSurrogate, maskedLinkTargets } from '../../../tests/helpers/markdown-links.js';

const meeting = (overrides: Partial<Meeting> = {}): Meeting => ({
	id: '9001',
	title: 'Standup](https://evil.example/phish) [now',
	description: '**Urgent**: [re-enter your password](https://evil.example/login) @everyone <@&1>',
	type: 'meeting',
	guildId: '1',
	channelId: '2',
	hostId: '3',
	startsAt: 1_900_000_000,
	endsAt: 1_900_003_600,
	cancelled: false,
	...overrides
});

describe('meetings: titles and descriptions members typed are text in every post', () => {
	it('GIVEN a title and description with masked links, mentions and bold THEN the announcement holds them as text and links nothing', () => {
		const embed = announcement(meeting(), 'scheduled').embeds[0]!.toJSON();
		expect(embed.title).to.equal('Standup\\]\\(https://evil.example/phish\\) \\[now');
		expect(maskedLinkTargets(embed.title!)).to.deep.equal([]);
		expect(maskedLinkTargets(embed.description!)).to.deep.equal([]);
		expect(embed.description).to.include('\\*\\*Urgent\\*\\*').and.include('@\u200beveryone').and.include('\\<@&1\\>');
		expect(maskedLinkTargets(meetingLine(meeting()))).to.deep.equal([]);
	});

	it('GIVEN the host’s private reply THEN its only link is the host link', () => {
		const reply = startedReply(
			{ meeting: meeting(), announced: { channelId: '2', messageId: '4' } } as never,
			{ url: 'https://1.kaf.kaltura.com/join?ks=abc', role: 'adminRole' } as never
		);
		expect(maskedLinkTargets(reply)).to.deep.equal(['https://1.kaf.kaltura.com/join?ks=abc']);
	});

	it('GIVEN a long title of emoji families and flags THEN the announcement and the title from a message cut them whole, within the limits', () => {
		const long = '👨‍👩‍👧‍👦🇫🇷'.repeat(60);
		const embed = announcement(meeting({ title: long, description: long.repeat(20) }), 'live').embeds[0]!.toJSON();
		expect(embed.title!.length).to.be.at.most(256);
		expect(embed.description!.length).to.be.at.most(4096);
		for (const text of [embed.title!, embed.description!, meetingLine(meeting({ title: long })), titleFromMessage(long, 'max')]) {
			expect(hasLoneSurrogate(text)).to.equal(false);
			expect(long.repeat(20).startsWith(text.replace(/^\*\*/, '').split('…')[0]!)).to.equal(true);
		}
		expect(titleFromMessage(long, 'max').length).to.be.at.most(256);
	});
});
