import { expect } from 'chai';
import { InteractionResponseType } from 'discord-api-types/v10';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { hasLoneSurrogate, maskedLinkTargets } from '../../helpers/markdown-links.js';
import { runVideoSearch } from '../../helpers/video-search.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { prepareTestBot, PROJECT_PLUGINS, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const GUILD = '100000000000000001';

describe('videos plugin: Kaltura names and descriptions in /video search are text, not markdown', () => {
	let recorder: RestRecorder;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let phishId: string;

	before(async () => {
		recorder = await new RestRecorder().start();
		kaltura = await KalturaStandIn.start({ partnerId: 4321, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		phishId = String(
			kaltura.state.addEntry({
				name: 'x](https://evil.example/phish) [y',
				description: '[Log in again](https://evil.example/login) @everyone',
				tags: 'phish'
			}).id
		);
		kaltura.state.addEntry({ name: '👨‍👩‍👧‍👦'.repeat(30), description: '🇫🇷'.repeat(100), tags: 'families' });
		bot = await prepareTestBot(recorder, {
			...PROJECT_PLUGINS,
			env: { KALTURA_SERVICE_URL: kaltura.serviceUrl, KALTURA_PARTNER_ID: '4321', KALTURA_TIMEOUT_MS: '600' }
		});
		await bot.guildConfig.set(GUILD, 'plugins.videos.enabled', true);
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await recorder?.stop();
	});

	async function search(query: string) {
		const { deferral, edit } = await runVideoSearch(recorder, bot.client, query, { guildId: GUILD });
		expect(deferral.type).to.equal(InteractionResponseType.DeferredChannelMessageWithSource);
		return edit;
	}

	it('GIVEN a video named like a masked link THEN the only link in the result is its watch link', async () => {
		const embed = (await search('phish')).embeds![0]!;
		expect(maskedLinkTargets(embed.description!)).to.deep.equal([`https://4321.mediaspace.kaltura.com/media/t/${phishId}`]);
		expect(embed.description).to.include('x\\]\\(https://evil.example/phish\\) \\[y');
		expect(embed.description).to.include('@\u200beveryone');
	});

	it('GIVEN a query that is markdown THEN the title and the no-match answer show it as typed', async () => {
		const answer = await search('[a](https://evil.example) **b**');
		const text = answer.content ?? answer.embeds?.[0]?.title ?? '';
		expect(maskedLinkTargets(text)).to.deep.equal([]);
		expect(text).to.include('\\[a\\]\\(https://evil.example\\) \\*\\*b\\*\\*');
	});

	it('GIVEN names of ZWJ families and flags longer than the line allows THEN they are cut whole, within the limits', async () => {
		const embed = (await search('families')).embeds![0]!;
		expect(hasLoneSurrogate(embed.description!)).to.equal(false);
		expect(embed.description!.length).to.be.at.most(4096);
		const label = /^\*\*\[([^\]]*)\]\(/.exec(embed.description!)?.[1] ?? '';
		expect(label.length).to.be.at.most(80);
		expect(label.endsWith('…')).to.equal(true);
		expect('👨‍👩‍👧‍👦'.repeat(30).startsWith(label.slice(0, -1))).to.equal(true);
	});
});
