import { expect } from 'chai';
import { escapeText, joinWholeItems, joinWithin, maskedLink, truncateMarkdown } from '../../../src/core/discord/markdown.js';
import { hasLoneSurrogate, maskedLinkTargets } from '../../helpers/markdown-links.js';

const URL = 'https://videos.example/media/t/0_abcdef12?ref=discord';

/** Each cut of `markdown` at every limit from 1 to its length: within the limit, and ending in the ellipsis (plus closers). */
function everyCut(markdown: string): string[] {
	const cuts: string[] = [];
	for (let limit = 1; limit < markdown.length; limit++) {
		const cut = truncateMarkdown(markdown, limit);
		expect(cut.length, `limit ${limit}: ${JSON.stringify(cut)}`).to.be.at.most(limit);
		cuts.push(cut);
	}
	return cuts;
}

describe('core: markdown truncation keeps links, code, mentions and emphasis whole', () => {
	it('GIVEN a masked link cut at every length THEN the link is kept whole or left out, never half a link or a raw bracket', () => {
		const markdown = `Watch [the launch video](${URL}) now, and more text after it`;
		for (const cut of everyCut(markdown)) {
			const targets = maskedLinkTargets(cut);
			expect(
				targets.every((target) => target === URL),
				cut
			).to.equal(true);
			// Half a link shows as raw markdown: a `[` or `](` without its link.
			if (targets.length === 0) expect(cut, 'no half link').to.not.match(/\[|\]\(/);
		}
		expect(truncateMarkdown(markdown, 30)).to.equal('Watch…');
		const linkEnd = markdown.indexOf(' now');
		expect(truncateMarkdown(markdown, linkEnd)).to.equal('Watch…');
		expect(truncateMarkdown(markdown, linkEnd + 1)).to.equal(`Watch [the launch video](${URL})…`);
	});

	it('GIVEN bold around a link THEN a cut closes the bold after the ellipsis, or keeps the whole span', () => {
		const markdown = `**[Name](${URL})** · 2:05\nA description that goes on and on`;
		for (const cut of everyCut(markdown)) {
			const opened = (cut.match(/\*\*/g) ?? []).length;
			expect(opened % 2, `balanced bold in ${JSON.stringify(cut)}`).to.equal(0);
			expect(maskedLinkTargets(cut).every((target) => target === URL)).to.equal(true);
		}
		expect(truncateMarkdown('some **bold words here** and more', 18)).to.equal('some **bold wor…**');
	});

	it('GIVEN code spans, mentions, timestamps and escapes THEN none is cut inside', () => {
		const markdown = 'See `npm run start -- --verbose` at <t:1700000000:F> with <@&123456789012345678> and \\*stars\\* done';
		for (const cut of everyCut(markdown)) {
			expect((cut.match(/`/g) ?? []).length % 2, cut).to.equal(0);
			expect(cut, 'no half angle token').to.not.match(/<[^>]*…/);
			expect(/\\+…/.exec(cut)?.[0].length ?? 1, 'no dangling backslash').to.satisfy((length: number) => length % 2 === 1);
		}
		expect(truncateMarkdown('a `code span here` b', 10)).to.equal('a…');
	});

	it('GIVEN a stray delimiter or a snake_case word THEN it is text: nothing is closed that was never open', () => {
		expect(truncateMarkdown('5 * 3 = 15 and then some more words', 20)).to.equal('5 * 3 = 15 and then…');
		expect(truncateMarkdown('snake_case_name and more text here', 15)).to.equal('snake_case_nam…');
	});

	it('GIVEN escaped text from outside THEN its cut opens no link and splits no emoji', () => {
		const escaped = escapeText('x](https://evil.example/phish) [y 👨‍👩‍👧‍👦🇫🇷 '.repeat(20));
		for (let limit = 1; limit < 200; limit++) {
			const cut = truncateMarkdown(escaped, limit);
			expect(maskedLinkTargets(cut)).to.deep.equal([]);
			expect(hasLoneSurrogate(cut)).to.equal(false);
		}
	});

	it('GIVEN items joined within a limit THEN only whole items, counted; a first item too long is cut whole-link', () => {
		const link = maskedLink('Name', URL);
		expect(joinWholeItems(['aaa', 'bbb', 'ccc'], '\n', 8)).to.deep.equal({ text: 'aaa\nbbb', count: 2 });
		expect(joinWholeItems([`${'x'.repeat(20)} ${link} ${'x'.repeat(100)}`], '\n', 70)).to.deep.equal({ text: `${'x'.repeat(20)}…`, count: 1 });
		expect(joinWithin([`**${link}**`], '\n', 20)).to.equal('…');
	});
});
