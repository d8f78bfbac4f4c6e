import { expect } from 'chai';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { maskedLinkTargets } from '../../helpers/markdown-links.js';
import { runVideoSearch } from '../../helpers/video-search.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { prepareTestBot, PROJECT_PLUGINS, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const GUILD = '100000000000000001';

/** A watch link template long enough that one result with its link is more than an embed description holds. */
const LONG_TEMPLATE = `https://4321.mediaspace.kaltura.com/media/t/{entryId}?utm_campaign=${'a'.repeat(4200)}`;

/** The result lines of a search answer, as the members see them: whole, each linked or plainly named, no raw markdown. */
describe('videos plugin: /video search results are never cut inside their link', () => {
	let recorder: RestRecorder;
	let kaltura: KalturaStandIn;
	let bot: TestBot;

	before(async () => {
		recorder = await new RestRecorder().start();
		kaltura = await KalturaStandIn.start({ partnerId: 4321, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		for (const name of ['Lecture one', 'Lecture two', 'Lecture three'])
			kaltura.state.addEntry({ name, description: `All about ${name}`, tags: 'lecture', duration: 600 });
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

	const search = async (query: string) => (await runVideoSearch(recorder, bot.client, query, { guildId: GUILD })).edit;

	it('GIVEN links that fit THEN every result is linked, as before', async () => {
		await bot.guildConfig.reset(GUILD, 'videos.watchUrlTemplate');
		const embed = (await search('lecture')).embeds![0]!;
		expect(maskedLinkTargets(embed.description!)).to.have.length(3);
		expect(embed.footer?.text).to.equal('3 found');
	});

	it('GIVEN a watch link template making links longer than the description holds THEN the first result is named whole without its link, no markdown is left half made, and the footer counts what is shown', async () => {
		await bot.guildConfig.set(GUILD, 'videos.watchUrlTemplate', LONG_TEMPLATE);
		const embed = (await search('lecture')).embeds![0]!;
		const description = embed.description!;
		expect(description.length).to.be.at.most(4096);
		expect(maskedLinkTargets(description), 'no link, rather than half of one').to.deep.equal([]);
		expect(description, 'no half link left as raw markdown').to.not.match(/\[|\]\(|utm_campaign/);
		expect((description.match(/\*\*/g) ?? []).length % 2, 'bold closed').to.equal(0);
		expect(description).to.match(/^\*\*Lecture (one|two|three)\*\* · 10:00$/);
		expect(embed.footer?.text).to.equal('Showing 1 of 3');
	});

	it('GIVEN links of which only one fits with its result THEN that result is linked and whole, the others left out whole', async () => {
		await bot.guildConfig.set(GUILD, 'videos.watchUrlTemplate', LONG_TEMPLATE.replace('a'.repeat(4200), 'a'.repeat(2500)));
		const embed = (await search('lecture')).embeds![0]!;
		const targets = maskedLinkTargets(embed.description!);
		expect(targets).to.have.length(1);
		expect(targets[0]).to.match(/utm_campaign=a{2500}$/);
		expect(embed.description).to.match(/^\*\*\[Lecture (one|two|three)\]\(https:[^)]+\)\*\* · 10:00\nAll about Lecture (one|two|three)$/);
		expect(embed.footer?.text).to.equal('Showing 1 of 3');
	});
});
