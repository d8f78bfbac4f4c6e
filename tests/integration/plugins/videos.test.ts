import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { MessageFlags } from 'discord-api-types/v10';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { runVideoSearch } from '../../helpers/video-search.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { prepareTestBot, PROJECT_PLUGINS, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const GUILD = '100000000000000001';

describe('videos plugin: /video search against the Kaltura stand-in', () => {
	let recorder: RestRecorder;
	let kaltura: KalturaStandIn;
	let bot: TestBot;

	before(async () => {
		recorder = await new RestRecorder().start();
		kaltura = await KalturaStandIn.start({ partnerId: 4321, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		kaltura.state.addEntry({ name: 'Intro to cats', description: 'Cats, explained', tags: 'cats', duration: 125 });
		kaltura.state.addEntry({ name: 'Advanced cats', tags: 'cats', duration: 3725 });
		kaltura.state.addEntry({ name: 'Dogs only', tags: 'dogs' });
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

	afterEach(() => kaltura.faults.clear());

	/** Runs `/video search` and returns the deferral and the final edit of the reply. */
	const search = (query: string, guildId = GUILD) => runVideoSearch(recorder, bot.client, query, { guildId });

	it('GIVEN matching videos THEN the reply is deferred privately, then lists them with links and durations', async () => {
		const { deferral, edit } = await search('cats');
		expect(deferral.data!.flags! & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
		const embed = edit.embeds![0]!;
		expect(embed.title).to.equal('Videos matching “cats”');
		expect(embed.description).to.include('Intro to cats').and.include('2:05').and.include('Advanced cats').and.include('1:02:05');
		expect(embed.description).to.match(/https:\/\/4321\.mediaspace\.kaltura\.com\/media\/t\/[\w_]+/);
		expect(embed.description).to.not.include('Dogs only');
		expect(embed.footer!.text).to.equal('2 found');
	});

	it('GIVEN the search THEN it ran with a USER session that may only list', async () => {
		const calls = kaltura.stats.log.filter((entry) => entry.service === 'media' && entry.action === 'list');
		const ks = kaltura.parseKs(String(calls.at(-1)!.ks));
		expect(ks.type).to.equal(0);
		expect(ks.userId).to.equal('discord-bot-search');
		expect(ks.privileges).to.deep.equal({ list: '*' });
	});

	it('GIVEN no match THEN it says so', async () => {
		const { edit } = await search('giraffes');
		expect(edit.content).to.equal('No videos match “giraffes”.');
	});

	it('GIVEN a Kaltura error THEN the member gets a plain sentence, not Kaltura’s message', async () => {
		kaltura.faults.error('SERVICE_FORBIDDEN', { match: { service: 'media', action: 'list' }, args: { SERVICE: 'media->list' } });
		const { edit } = await search('cats');
		expect(edit.content).to.equal('The search did not work: The bot is not allowed to do that on this Kaltura account.');
	});

	it('GIVEN Kaltura never answers THEN the member is told it timed out and nothing hangs', async () => {
		kaltura.faults.timeout({ match: { service: 'media', action: 'list' } });
		const started = Date.now();
		const { edit } = await search('cats');
		expect(edit.content).to.equal('The search did not work: Kaltura did not answer in time. Please try again in a moment.');
		expect(Date.now() - started).to.be.lessThan(5000);
	});

	it('GIVEN Kaltura refuses the cached KS once THEN a new one is minted and the search still answers', async () => {
		const before = container.kaltura.sessions.stats().misses;
		kaltura.faults.error('INVALID_KS', {
			match: { service: 'media', action: 'list' },
			args: { KSID: 'EXPIRED', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' }
		});
		const { edit } = await search('cats');
		expect(edit.embeds![0]!.footer!.text).to.equal('2 found');
		expect(container.kaltura.sessions.stats().misses).to.equal(before + 1);
	});

	it('GIVEN the plugin is off in a guild THEN /video is denied with how to turn it on', async () => {
		const { deferral } = await search('cats', '100000000000000004');
		expect(deferral.data!.content).to.include('The **videos** plugin is turned off in this server');
	});

	it('GIVEN the whole run THEN no KS or secret reached the log', () => {
		const text = bot.log.text();
		expect(text).to.not.match(/djJ8[\w-]{20,}/);
		for (const secret of Object.values(TEST_SECRETS)) expect(text).to.not.include(secret);
	});
});
