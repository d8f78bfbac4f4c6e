import { expect } from 'chai';
import { freePort } from '../../harness/bot-process.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { ADMIN, MEMBER, buttonInteraction, chatInputInteraction, dispatchInteraction, type ActingMember } from '../../helpers/raw-interactions.js';
import { parseExposition, valueOf } from '../../helpers/metrics-text.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { runVideoSearch } from '../../helpers/video-search.js';
import { createTestBot, prepareTestBot, PROJECT_PLUGINS, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const GUILDS = ['100000000000000001', '100000000000000002', '100000000000000003'];
/** The channel and member ids raw interactions carry, besides the guilds. */
const CHANNEL = '700000000000000001';

describe('metrics plugin: /metrics in Prometheus text format', () => {
	let recorder: RestRecorder;
	let kaltura: KalturaStandIn;
	let bot: TestBot;

	const scrape = async () => {
		const response = await fetch(`${bot.apiUrl()}/metrics`);
		expect(response.status).to.equal(200);
		expect(response.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
		return response.text();
	};

	/** Runs `/<name>` as `member` in `guildId` and waits for Discord to be answered. */
	const slash = async (name: string, guildId: string, member: ActingMember = MEMBER) => {
		const raw = chatInputInteraction({ guildId, member, name });
		dispatchInteraction(bot.client, raw);
		await recorder.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
		// The command's success event follows its reply.
		await new Promise((resolve) => setTimeout(resolve, 50));
	};

	before(async () => {
		recorder = await new RestRecorder().start();
		kaltura = await KalturaStandIn.start({ partnerId: 4321, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		kaltura.state.addEntry({ name: 'Intro to cats', tags: 'cats', duration: 125 });
		bot = await prepareTestBot(recorder, {
			...PROJECT_PLUGINS,
			env: { KALTURA_SERVICE_URL: kaltura.serviceUrl, KALTURA_PARTNER_ID: '4321', KALTURA_TIMEOUT_MS: '600' }
		});
		// No gateway here: the start hooks that a ready runs.
		await bot.pluginLifecycle.startAll();
		for (const guild of GUILDS) await bot.guildConfig.set(guild, 'plugins.videos.enabled', true);
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await recorder?.stop();
	});

	it('GIVEN the plugin runs THEN the process metrics are prefixed kaltura_bot_', async () => {
		const samples = parseExposition(await scrape());
		expect(valueOf(samples, 'kaltura_bot_process_cpu_user_seconds_total')).to.be.greaterThan(0);
		expect(samples.some((sample) => sample.name.startsWith('kaltura_bot_nodejs_'))).to.equal(true);
	});

	it('GIVEN /about THEN the interaction is counted and timed by kind, command and outcome', async () => {
		const labels = { kind: 'chat_input', command: 'about', subcommand: '', outcome: 'ok' };
		const before = valueOf(parseExposition(await scrape()), 'kaltura_bot_interactions_total', labels);
		await slash('about', GUILDS[0]!);
		const samples = parseExposition(await scrape());
		expect(valueOf(samples, 'kaltura_bot_interactions_total', labels)).to.equal(before + 1);
		expect(valueOf(samples, 'kaltura_bot_interaction_duration_seconds_count', { kind: 'chat_input', command: 'about', outcome: 'ok' })).to.equal(
			before + 1
		);
	});

	it('GIVEN a reply to Discord THEN the request is counted by method, route template and status', async () => {
		const labels = { method: 'POST', route: '/interactions/:id/:token/callback', status: '204' };
		const before = valueOf(parseExposition(await scrape()), 'kaltura_bot_discord_requests_total', labels);
		await slash('about', GUILDS[1]!);
		expect(valueOf(parseExposition(await scrape()), 'kaltura_bot_discord_requests_total', labels)).to.equal(before + 1);
	});

	it('GIVEN a video search THEN the Kaltura call, its session and the subcommand are counted', async () => {
		const text = await scrape();
		const calls = { action: 'media.list', outcome: 'ok' };
		const before = valueOf(parseExposition(text), 'kaltura_bot_kaltura_calls_total', calls);
		await runVideoSearch(recorder, bot.client, 'cats', { guildId: GUILDS[2]! });
		await new Promise((resolve) => setTimeout(resolve, 50));
		const samples = parseExposition(await scrape());
		expect(valueOf(samples, 'kaltura_bot_kaltura_calls_total', calls)).to.equal(before + 1);
		expect(valueOf(samples, 'kaltura_bot_kaltura_call_duration_seconds_count', { action: 'media.list' })).to.equal(before + 1);
		expect(valueOf(samples, 'kaltura_bot_kaltura_sessions_total', { result: 'minted' })).to.be.greaterThan(0);
		// The same session again: taken from the cache.
		const cached = valueOf(samples, 'kaltura_bot_kaltura_sessions_total', { result: 'cached' });
		await runVideoSearch(recorder, bot.client, 'cats', { guildId: GUILDS[2]! });
		expect(valueOf(parseExposition(await scrape()), 'kaltura_bot_kaltura_sessions_total', { result: 'cached' })).to.equal(cached + 1);
		expect(valueOf(samples, 'kaltura_bot_interactions_total', { command: 'video', subcommand: 'search', outcome: 'ok' })).to.be.greaterThan(0);
	});

	it('GIVEN a Kaltura timeout THEN the call is counted with outcome timeout', async () => {
		kaltura.faults.timeout({ match: { service: 'media', action: 'list' } });
		try {
			await runVideoSearch(recorder, bot.client, 'cats', { guildId: GUILDS[0]! });
		} finally {
			kaltura.faults.clear();
		}
		expect(valueOf(parseExposition(await scrape()), 'kaltura_bot_kaltura_calls_total', { action: 'media.list', outcome: 'timeout' })).to.equal(1);
	});

	it('GIVEN several guilds, members and channels THEN no label value holds any of their ids', async () => {
		for (const guild of GUILDS) {
			await slash('about', guild, ADMIN);
			await runVideoSearch(recorder, bot.client, 'cats', { guildId: guild });
		}
		const ids = [...GUILDS, CHANNEL, ADMIN.id, MEMBER.id];
		const samples = parseExposition(await scrape());
		expect(samples.length).to.be.greaterThan(50);
		for (const sample of samples)
			for (const value of Object.values(sample.labels)) for (const id of ids) expect(value, `${sample.name} ${value}`).to.not.include(id);
		// And no value carries an id of any length the routes would otherwise show.
		const routes = samples.filter((sample) => sample.name === 'kaltura_bot_discord_requests_total').map((sample) => sample.labels.route);
		expect(routes).to.include('/webhooks/:id/:token/messages/%40original');
		for (const route of routes) expect(route).to.not.match(/\d{5,}/);
	});

	it('GIVEN a meetings button where meetings are on and where they are off THEN it counts ok and denied under its handler', async () => {
		await bot.guildConfig.set(GUILDS[0]!, 'plugins.meetings.enabled', true);
		await bot.guildConfig.set(GUILDS[1]!, 'plugins.meetings.enabled', false);
		const labels = (outcome: string) => ({ kind: 'button', command: 'meetings-list-page-button', subcommand: '', outcome });
		const before = parseExposition(await scrape());
		const pressed = buttonInteraction({ guildId: GUILDS[0]!, member: MEMBER, customId: 'meetings:page:1' });
		dispatchInteraction(bot.client, pressed);
		await recorder.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${pressed.token}/messages/(@|%40)original`));
		const refused = buttonInteraction({ guildId: GUILDS[1]!, member: MEMBER, customId: 'meetings:page:1' });
		dispatchInteraction(bot.client, refused);
		await recorder.waitFor('POST', new RegExp(`^/interactions/${refused.id}/`));
		await new Promise((resolve) => setTimeout(resolve, 50));
		const after = parseExposition(await scrape());
		for (const outcome of ['ok', 'denied'])
			expect(valueOf(after, 'kaltura_bot_interactions_total', labels(outcome)), outcome).to.equal(
				valueOf(before, 'kaltura_bot_interactions_total', labels(outcome)) + 1
			);
		expect(valueOf(after, 'kaltura_bot_interaction_duration_seconds_count', { kind: 'button', outcome: 'ok' })).to.equal(
			valueOf(before, 'kaltura_bot_interaction_duration_seconds_count', { kind: 'button', outcome: 'ok' }) + 1
		);
	});

	it('GIVEN a search THEN videos searched moves', async () => {
		const before = valueOf(parseExposition(await scrape()), 'kaltura_bot_videos_searched_total');
		await runVideoSearch(recorder, bot.client, 'cats', { guildId: GUILDS[1]! });
		expect(valueOf(parseExposition(await scrape()), 'kaltura_bot_videos_searched_total')).to.equal(before + 1);
	});

	it('GIVEN a Kaltura notification with a wrong signature THEN the signature failure and the refused webhook are counted', async () => {
		const response = await fetch(`${bot.apiUrl()}/webhooks/kaltura`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-kaltura-signature': 'not-a-signature' },
			body: '{}'
		});
		expect(response.status).to.equal(401);
		const samples = parseExposition(await scrape());
		expect(valueOf(samples, 'kaltura_bot_webhook_signature_failures_total')).to.equal(1);
		expect(valueOf(samples, 'kaltura_bot_webhooks_total', { type: 'unknown', outcome: 'refused' })).to.equal(1);
	});

	it('GIVEN the key/value store answers THEN storage_up is 1', async () => {
		expect(valueOf(parseExposition(await scrape()), 'kaltura_bot_storage_up', { store: 'keyv' })).to.equal(1);
	});
});

describe('metrics plugin: METRICS_PORT', () => {
	let recorder: RestRecorder;
	let bot: TestBot;
	let port: number;

	before(async () => {
		recorder = await new RestRecorder().start();
		port = await freePort();
		bot = await prepareTestBot(recorder, { ...PROJECT_PLUGINS, env: { METRICS_PORT: String(port) } });
		await bot.pluginLifecycle.startAll();
	});

	after(async () => {
		await bot?.stop();
		await recorder?.stop();
	});

	it('GIVEN METRICS_PORT THEN /metrics is served there, and not on the API', async () => {
		const response = await fetch(`http://127.0.0.1:${port}/metrics`);
		expect(response.status).to.equal(200);
		expect(response.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
		expect(await response.text()).to.match(/^kaltura_bot_process_cpu_user_seconds_total \d/m);
		expect((await fetch(`http://127.0.0.1:${port}/other`)).status).to.equal(404);
		expect((await fetch(`${bot.apiUrl()}/metrics`)).status).to.equal(404);
	});

	it('GIVEN the bot stops THEN the port is released', async () => {
		await bot.stop();
		const refused = await fetch(`http://127.0.0.1:${port}/metrics`).then(
			() => false,
			() => true
		);
		expect(refused).to.equal(true);
	});
});

describe('metrics without the metrics plugin', () => {
	it('GIVEN the plugin is not loaded THEN instruments record nothing and the registry stays empty', async () => {
		const bot = await createTestBot();
		try {
			await bot.prepare();
			expect(bot.plugins.has('metrics')).to.equal(false);
			const { container } = await import('@sapphire/framework');
			expect(container.metrics.enabled).to.equal(false);
			expect((await container.metrics.registry.metrics()).trim()).to.equal('');
		} finally {
			await bot.stop();
		}
	});
});
