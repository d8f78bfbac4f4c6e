import { stripVTControlCharacters } from 'node:util';
import { expect } from 'chai';
import { painterFor, renderMarkdown } from '../../harness/sandbox/render-markdown.js';
import { renderMessage } from '../../harness/sandbox/render-message.js';

const colour = painterFor({ isTTY: true }, {});
const plain = painterFor({ isTTY: false }, {});
const ESC = '\u001b';

describe('sandbox rendering of Discord markdown', () => {
	const line =
		'**[Team onboarding, part 1](https://1000001.mediaspace.kaltura.com/media/t/0_ab_cd)** · `22:05` · [Recording](https://x.example/a?b=1&c=2)';

	it('GIVEN bold around a link and code beside it in one line THEN each piece is styled whole and no markdown is left', () => {
		const rendered = renderMarkdown(line, colour);
		// Bold opens before the link's label and closes after its address; the label is underlined, the code cyan.
		expect(rendered).to.equal(
			`${ESC}[1m${ESC}[4mTeam onboarding, part 1${ESC}[24m <https://1000001.mediaspace.kaltura.com/media/t/0_ab_cd>${ESC}[22m · ${ESC}[36m22:05${ESC}[39m · ${ESC}[4mRecording${ESC}[24m <https://x.example/a?b=1&c=2>`
		);
		expect(stripVTControlCharacters(rendered)).to.equal(
			'Team onboarding, part 1 <https://1000001.mediaspace.kaltura.com/media/t/0_ab_cd> · 22:05 · Recording <https://x.example/a?b=1&c=2>'
		);
	});

	it('GIVEN output that is not a terminal THEN there are no colour codes at all', () => {
		const message = {
			content: line,
			embeds: [{ title: '**Weekly standup** is ready', description: `${line}\n__underlined__ ~~gone~~ *slanted* <@42>` }]
		};
		const rendered = renderMessage(message, 'bot:', plain, { user: () => 'max', role: () => undefined, channel: () => undefined });
		expect(rendered).not.to.include(ESC);
		expect(rendered).to.include('│ Weekly standup is ready');
		expect(rendered).to.include('│ underlined gone slanted @max');
		expect(rendered).not.to.match(/\*\*|`|\]\(/);
	});

	it('GIVEN a member name with markdown characters THEN the mention is shown as typed, not parsed', () => {
		const rendered = renderMessage({ content: 'Host: <@1> and <@2>', embeds: [] }, 'bot:', plain, {
			user: (id) => (id === '1' ? 'under_score_' : '**star**'),
			role: () => undefined,
			channel: () => undefined
		});
		expect(rendered).to.include('Host: @under_score_ and @**star**');
	});

	it('GIVEN Discord block markdown THEN quotes, lists and code blocks read as blocks', () => {
		const rendered = renderMarkdown('> quoted **bold**\n- one\n- two\n```\nnpm run sandbox\n```', plain);
		expect(rendered.split('\n')).to.deep.equal(['▌ quoted bold', '• one', '• two', '  npm run sandbox']);
	});
});
