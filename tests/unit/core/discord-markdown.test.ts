import { expect } from 'chai';
import {
	DISCORD_LIMITS,
	escapeAndTruncate,
	escapeText,
	inlineCode,
	joinWithin,
	maskedLink,
	safeUrl,
	truncate,
	truncateMarkdown
} from '../../../src/core/discord/markdown.js';
import { hasLoneSurrogate, maskedLinkTargets } from '../../helpers/markdown-links.js';

const graphemeEnds = (text: string): Set<number> =>
	new Set([
		0,
		...[...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map(({ index, segment }) => index + segment.length)
	]);

/** `cut` is a prefix of `text` ending on a grapheme boundary, plus the ellipsis. */
function expectCleanCut(text: string, cut: string, limit: number): void {
	expect(cut.length, 'within the limit').to.be.at.most(limit);
	expect(hasLoneSurrogate(cut), `no lone surrogate in ${JSON.stringify(cut)}`).to.equal(false);
	expect(cut.endsWith('…')).to.equal(true);
	const kept = cut.slice(0, -1);
	expect(text.startsWith(kept)).to.equal(true);
	expect(graphemeEnds(text).has(kept.length), 'cut between grapheme clusters').to.equal(true);
}

describe('core: Discord markdown (escaping, links, truncation)', () => {
	it('GIVEN a title that closes and opens a masked link THEN, escaped inside the admin’s link, only the admin’s link is a link', () => {
		const title = 'x](https://evil.example/phish) [y';
		expect(maskedLinkTargets(`[${title}](https://ok.example/a)`), 'unescaped: the attack works').to.deep.equal([
			'https://evil.example/phish',
			'https://ok.example/a'
		]);
		const rendered = `[${escapeText(title)}](https://ok.example/a)`;
		expect(maskedLinkTargets(rendered)).to.deep.equal(['https://ok.example/a']);
		expect(maskedLinkTargets(escapeText('[click](https://evil.example)'))).to.deep.equal([]);
		expect(maskedLinkTargets(maskedLink(title, 'https://ok.example/a'))).to.deep.equal(['https://ok.example/a']);
	});

	it('GIVEN markdown, mentions, headings, lists, quotes and code in text THEN each is escaped to show as typed', () => {
		expect(escapeText('**b** _i_ ~~s~~ ||sp|| `c`')).to.equal('\\*\\*b\\*\\* \\_i\\_ \\~\\~s\\~\\~ \\|\\|sp\\|\\| \\`c\\`');
		expect(escapeText('<@123> <#1> <t:1:R> <https://x>')).to.equal('\\<@123\\> \\<#1\\> \\<t:1:R\\> \\<https://x\\>');
		expect(escapeText('@everyone and @here')).to.equal('@\u200beveryone and @\u200bhere');
		expect(escapeText('# big\n- item\n1. one\n-# small\n> quote')).to.equal('\\# big\n\\- item\n1\\. one\n\\-# small\n\\> quote');
		expect(escapeText('a\\b')).to.equal('a\\\\b');
	});

	it('GIVEN links THEN only http(s) without credentials pass, with ) ( < > and spaces encoded', () => {
		expect(safeUrl('https://ok.example/a b)c(d<e>')).to.equal('https://ok.example/a%20b%29c%28d%3Ce%3E');
		for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'discord://x', 'https://kaltura.com@evil.example/', 'not a url', ''])
			expect(safeUrl(bad), bad).to.equal(undefined);
		expect(maskedLink('Name', 'javascript:alert(1)')).to.equal('Name');
		expect(maskedLinkTargets(`[Watch](${safeUrl('https://ok.example/x) [y](https://evil.example')!})`)).to.deep.equal([
			'https://ok.example/x%29%20[y]%28https://evil.example'
		]);
	});

	it('GIVEN emoji, a ZWJ family and flags cut at the limit THEN no lone surrogate, no half cluster, within the limit', () => {
		const family = '👨‍👩‍👧‍👦';
		const samples = ['😀'.repeat(200), `${family}`.repeat(40), '🇫🇷🇩🇪🇯🇵'.repeat(40), `a${family}b😀🇫🇷e\u0301`.repeat(30)];
		for (const text of samples) {
			for (let limit = 2; limit <= 60; limit++) expectCleanCut(text, truncate(text, limit), limit);
			const cut = truncate(text, DISCORD_LIMITS.embedTitle);
			expectCleanCut(text, cut, DISCORD_LIMITS.embedTitle);
		}
		expect(truncate('short', 10)).to.equal('short');
		expect(truncate(`ab${family}`, 5)).to.equal('ab…');
	});

	it('GIVEN escaped text cut at the limit THEN no escape is split and the result fits', () => {
		const text = '[x](y) '.repeat(100);
		for (let limit = 5; limit <= 80; limit++) {
			const cut = escapeAndTruncate(text, limit);
			expect(cut.length).to.be.at.most(limit);
			expect(maskedLinkTargets(cut)).to.deep.equal([]);
			expect(cut.slice(0, -1).match(/\\+$/)?.[0].length ?? 0, 'no dangling backslash').to.satisfy((count: number) => count % 2 === 0);
		}
		expect(truncateMarkdown('abc\\[def', 5)).to.equal('abc…');
		expect(joinWithin(['aaa', 'bbb', 'ccc'], '\n', 8)).to.equal('aaa\nbbb');
		expect(inlineCode('12`3\n')).to.equal('`123`');
	});
});
