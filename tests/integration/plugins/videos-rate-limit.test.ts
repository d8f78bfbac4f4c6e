import { expect } from 'chai';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { runVideoSearch } from '../../helpers/video-search.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { prepareTestBot, PROJECT_PLUGINS, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const GUILD = '100000000000000001';

describe('videos plugin: /video search while Kaltura rate-limits (ACTION_BLOCKED on the Kaltura stand-in)', function () {
	this.timeout(30_000);

	let recorder: RestRecorder;
	let kaltura: KalturaStandIn;
	let bot: TestBot;

	before(async () => {
		recorder = await new RestRecorder().start();
		kaltura = await KalturaStandIn.start({ partnerId: 4321, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		kaltura.state.addEntry({ name: 'Intro to cats', tags: 'cats', duration: 125 });
		bot = await prepareTestBot(recorder, { ...PROJECT_PLUGINS, env: { KALTURA_SERVICE_URL: kaltura.serviceUrl, KALTURA_PARTNER_ID: '4321' } });
		await bot.guildConfig.set(GUILD, 'plugins.videos.enabled', true);
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await recorder?.stop();
	});

	afterEach(() => kaltura.faults.clear());

	const search = async (query: string) => (await runVideoSearch(recorder, bot.client, query, { guildId: GUILD, timeoutMs: 15_000 })).edit;

	const searches = () =>
		kaltura.stats.log.filter((call) => call.service === 'media' && call.action === 'list').map((call) => call.errorCode ?? 'ok');

	it('GIVEN Kaltura blocks the search twice THEN the bot waits, tries again and the member gets the results', async () => {
		kaltura.stats.reset();
		kaltura.faults.actionBlocked({ match: { service: 'media', action: 'list' }, times: 2 });
		const edit = await search('cats');
		expect(edit.embeds![0]!.description).to.include('Intro to cats');
		expect(searches()).to.deep.equal(['ACTION_BLOCKED', 'ACTION_BLOCKED', 'ok']);
	});

	it('GIVEN Kaltura keeps blocking THEN after a few tries the member is told Kaltura is busy', async () => {
		kaltura.stats.reset();
		kaltura.faults.actionBlocked({ match: { service: 'media', action: 'list' }, times: 'always' });
		const started = Date.now();
		const edit = await search('cats');
		expect(edit.content).to.equal('The search did not work: Kaltura is busy right now; please try again in a minute.');
		expect(searches()).to.deep.equal(['ACTION_BLOCKED', 'ACTION_BLOCKED', 'ACTION_BLOCKED', 'ACTION_BLOCKED']);
		expect(Date.now() - started).to.be.below(8_000);
	});
});
