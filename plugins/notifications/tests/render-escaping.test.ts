import { expect } from 'chai';
import { renderMessage } from '../lib/render.js';
import { hasLoneSurrogate, maskedLinkTargets } from '../../../tests/helpers/markdown-links.js';

interface Embed {
	title?: string;
	description?: string;
	thumbnail?: { url: string };
}
const embedOf = (body: Record<string, unknown>) => (body.embeds as Embed[])[0]!;
const WATCH = 'https://42.mediaspace.kaltura.com/media/t/0_x';

describe('notifications: Kaltura text is escaped in the admin’s markdown', () => {
	it('GIVEN a Kaltura title that closes and opens a masked link THEN the posted title and description hold it as text, and only the admin’s link is a link', () => {
		const object = { id: '0_x', name: 'x](https://evil.example/phish) [y', description: 'see [here](https://evil.example/2) @everyone <@1>' };
		const body = renderMessage('entry.ready', { object }, 42, null, { title: 'New: {title}', description: '[{title}]({url})\n{description}' });
		const embed = embedOf(body);
		expect(maskedLinkTargets(embed.title!)).to.deep.equal([]);
		expect(maskedLinkTargets(embed.description!)).to.deep.equal([WATCH]);
		expect(embed.title).to.equal('New: x\\]\\(https://evil.example/phish\\) \\[y');
		expect(embed.description).to.include('@\u200beveryone').and.include('\\<@1\\>');
		expect(body.allowed_mentions).to.deep.equal({ parse: [] });
	});

	it('GIVEN a thumbnail or entry id that would break out of a link THEN the link is encoded, and a non-http thumbnail is dropped', () => {
		const body = renderMessage(
			'entry.ready',
			{ object: { id: '0_x) [a](https://evil.example', name: 'T', thumbnailUrl: 'javascript:alert(1)' } },
			42,
			null,
			{ title: '{title}', description: '[watch]({url})' }
		);
		expect(maskedLinkTargets(embedOf(body).description!)).to.have.length(1);
		expect(maskedLinkTargets(embedOf(body).description!)[0]).to.match(
			/^https:\/\/42\.mediaspace\.kaltura\.com\/media\/t\/0_x%29%20%5Ba%5D%28https%3A%2F%2Fevil\.example$/
		);
		expect(embedOf(body).thumbnail).to.equal(undefined);
	});

	it('GIVEN a title and description of emoji, families and flags longer than Discord allows THEN both fit and no emoji is split', () => {
		const name = '👨‍👩‍👧‍👦🇫🇷😀'.repeat(100);
		const embed = embedOf(renderMessage('entry.ready', { object: { id: '0_x', name, description: name.repeat(10) } }, 42, null));
		expect(embed.title!.length).to.be.at.most(256);
		expect(embed.description!.length).to.be.at.most(4096);
		for (const text of [embed.title!, embed.description!]) {
			expect(hasLoneSurrogate(text)).to.equal(false);
			expect(text.endsWith('…')).to.equal(true);
			// The kept part is the start of the text itself: nothing was split or replaced.
			expect(name.repeat(10).startsWith(text.replace(/^New video ready: /, '').slice(0, -1))).to.equal(true);
		}
	});
});
