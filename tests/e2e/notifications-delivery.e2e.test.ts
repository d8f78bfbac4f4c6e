import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import type { APIMessage } from 'discord-api-types/v10';
import { BotProcess, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn, type InteractionHandle } from '../harness/discord/index.js';
import { KalturaStandIn } from '../harness/kaltura/index.js';
import { hasLoneSurrogate, maskedLinkTargets } from '../helpers/markdown-links.js';
import { waitUntil } from '../helpers/wait-until.js';

const ADMIN_SECRET = 'e2e-admin-secret-for-notification-delivery';
const PARTNER_ID = 6161;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface OutboxRow {
	id: number;
	event_key: string;
	channel_id: string;
	status: string;
	attempts: number;
	message_id: string | null;
	last_error: string | null;
}

/** Subscriptions, fan-out and delivery: the bot process, the Kaltura stand-in's signed sender, the Discord stand-in's real per-channel limit (scaled down). */
describe('End to end: Kaltura notifications posted to subscribed channels', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: BotProcess;
	let dataDirectory: string;
	let url: string;
	let guildId: string;
	let ownerId: string;
	let roleId: string;
	let news: string;
	let flood: string;
	let quiet: string;
	let gone: string;
	let offGuildId: string;
	let offChannel: string;
	let crash: string;
	let env: Record<string, string>;

	const slash = (guild: string, as: string, name: string, subcommand: string, options: Record<string, string> = {}): InteractionHandle =>
		discord.runSlashCommand({ guildId: guild, memberId: as, name, subcommand, options });

	function outbox(): OutboxRow[] {
		const file = join(dataDirectory, 'notifications.sqlite');
		if (!existsSync(file)) return [];
		const db = new Database(file, { readonly: true });
		try {
			return db
				.prepare('SELECT id, event_key, channel_id, status, attempts, message_id, last_error FROM outbox ORDER BY id')
				.all() as OutboxRow[];
		} finally {
			db.close();
		}
	}

	function subscriptionEnabled(channelId: string): number | undefined {
		const db = new Database(join(dataDirectory, 'notifications.sqlite'), { readonly: true });
		try {
			return (db.prepare('SELECT enabled FROM subscriptions WHERE channel_id = ?').get(channelId) as { enabled: number } | undefined)?.enabled;
		} finally {
			db.close();
		}
	}

	before(async () => {
		discord = await DiscordStandIn.start({
			messageCreateRateLimit: { limit: 5, windowMs: 500 },
			retryAfterHeader: 'exact',
			waitTimeoutMs: 10_000
		});
		const guild = discord.addGuild({ name: 'Notified' });
		guildId = guild.id;
		ownerId = guild.ownerId;
		roleId = discord.addRole(guildId, { name: 'Video fans', mentionable: true }).id;
		news = discord.addChannel(guildId, { name: 'news' }).id;
		flood = discord.addChannel(guildId, { name: 'flood' }).id;
		quiet = discord.addChannel(guildId, { name: 'quiet' }).id;
		gone = discord.addChannel(guildId, { name: 'gone' }).id;
		crash = discord.addChannel(guildId, { name: 'crash' }).id;
		const off = discord.addGuild({ name: 'Plugin off' });
		offGuildId = off.id;
		offChannel = discord.addChannel(offGuildId, { name: 'off-news' }).id;

		kaltura = await KalturaStandIn.start({
			partnerId: PARTNER_ID,
			adminSecret: ADMIN_SECRET,
			notifications: { attempts: 3, retryIntervalMs: 50, autoDispatch: false }
		});
		dataDirectory = mkdtempSync(join(tmpdir(), 'kaltura-discord-notification-delivery-'));
		env = {
			DATA_DIR: dataDirectory,
			...standInEnvironment({ discord, kaltura }),
			JWT_SECRET: 'e2e-jwt-secret-that-is-long-enough-for-hs256',
			NODE_ENV: 'production',
			LOG_LEVEL: 'debug'
		};
		bot = await BotProcess.start({ env });
		url = `${bot.apiUrl}/webhooks/kaltura`;

		const enabled = await slash(guildId, ownerId, 'plugins', 'enable', { plugin: 'notifications' }).waitForReply();
		expect(enabled.content).to.equal('The **notifications** plugin is now on in this server.');
		const subscribed = await slash(guildId, ownerId, 'notifications', 'subscribe', {
			channel: news,
			events: 'entry.ready',
			'mention-role': roleId
		}).waitForReply();
		expect(subscribed.content).to.equal(`<#${news}> now gets \`entry.ready\`, mentioning <@&${roleId}>.`);
		expect(
			(await slash(guildId, ownerId, 'notifications', 'subscribe', { channel: flood, events: 'entry.added' }).waitForReply()).content
		).to.include(`<#${flood}> now gets`);
		expect((await slash(guildId, ownerId, 'notifications', 'subscribe', { channel: quiet, events: 'all' }).waitForReply()).content).to.include(
			'every Kaltura event'
		);
		expect((await slash(guildId, ownerId, 'notifications', 'unsubscribe', { channel: quiet }).waitForReply()).content).to.equal(
			`<#${quiet}> no longer gets Kaltura events.`
		);
		// The other guild subscribes while the plugin is on, then turns it off: its subscription stays, and must get nothing.
		expect((await slash(offGuildId, off.ownerId, 'plugins', 'enable', { plugin: 'notifications' }).waitForReply()).content).to.include('now on');
		expect(
			(await slash(offGuildId, off.ownerId, 'notifications', 'subscribe', { channel: offChannel, events: 'entry.ready' }).waitForReply())
				.content
		).to.include(`<#${offChannel}> now gets`);
		expect((await slash(offGuildId, off.ownerId, 'plugins', 'disable', { plugin: 'notifications' }).waitForReply()).content).to.include(
			'now off'
		);
	});

	after(async () => {
		if (bot) expect(await bot.stop(), 'exit code after SIGTERM').to.equal(0);
		await discord?.stop();
		await kaltura?.stop();
		rmSync(dataDirectory, { recursive: true, force: true });
	});

	it('GIVEN an unknown event type in /notifications subscribe THEN nothing changes and the valid types are listed', async () => {
		const reply = await slash(guildId, ownerId, 'notifications', 'subscribe', {
			channel: quiet,
			events: 'entry.ready,video.exploded'
		}).waitForReply();
		expect(reply.content).to.match(/^Nothing was changed: “video\.exploded” is not an event type/);
		const list = await slash(guildId, ownerId, 'notifications', 'list').waitForReply();
		const text = list.embeds?.[0]?.description ?? '';
		expect(text).to.include(`<#${news}>: \`entry.ready\`, mentioning <@&${roleId}>`);
		expect(text).to.not.include(`<#${quiet}>`);
	});

	it('GIVEN a subscribed channel and an entryReady THEN it gets one embed with the role mentioned in the content and a Watch link', async () => {
		const entry = kaltura.state.addEntry({ name: 'Launch video', description: 'All about the launch' });
		const sent = await kaltura.notifications.sendEvent({ url, event: 'entryReady', object: String(entry.id) });
		expect(sent.statuses).to.deep.equal([200]);
		const [message] = await waitUntil(() => discord.channelMessages(news).length === 1 && discord.channelMessages(news), 'the post in #news');
		expect(message!.content).to.equal(`<@&${roleId}>`);
		expect(message!.mention_roles).to.deep.equal([roleId]);
		expect(message!.embeds).to.have.length(1);
		expect(message!.embeds[0]).to.include({ title: 'New video ready: Launch video', description: 'All about the launch' });
		expect(message!.embeds[0]!.thumbnail?.url).to.equal(entry.thumbnailUrl);
		const button = (message!.components?.[0] as { components: { url?: string; label?: string }[] } | undefined)?.components[0];
		expect(button).to.include({ label: 'Watch', url: `https://${PARTNER_ID}.mediaspace.kaltura.com/media/t/${entry.id}` });
		const row = outbox().find((candidate) => candidate.event_key === `job:${sent.jobId}` && candidate.channel_id === news);
		expect(row).to.include({ status: 'delivered', message_id: message!.id });
	});

	it('GIVEN the plugin off in a guild, or a channel unsubscribed THEN nothing is queued or posted there', async () => {
		// An event of its own that both of them would get if subscribed and on (entry.ready; #quiet had "all").
		const entry = kaltura.state.addEntry({ name: 'Only for news' });
		const sent = await kaltura.notifications.sendEvent({ url, event: 'entryReady', object: String(entry.id) });
		expect(sent.statuses).to.deep.equal([200]);
		await waitUntil(
			() => discord.channelMessages(news).some((message) => message.embeds[0]?.title === 'New video ready: Only for news'),
			'the post in #news'
		);
		// The event was fanned out (its #news post arrived): it was queued for #news alone.
		expect(
			outbox()
				.filter((row) => row.event_key === `job:${sent.jobId}`)
				.map((row) => row.channel_id)
		).to.deep.equal([news]);
		await sleep(300);
		expect(discord.channelMessages(offChannel)).to.deep.equal([]);
		expect(discord.channelMessages(quiet)).to.deep.equal([]);
		expect(outbox().filter((row) => row.channel_id === offChannel || row.channel_id === quiet)).to.deep.equal([]);
	});

	it('GIVEN the same job id sent three times THEN one post', async () => {
		const before = discord.channelMessages(news).length;
		const entry = kaltura.state.addEntry({ name: 'Sent thrice' });
		const jobId = kaltura.notifications.nextJobId();
		for (let index = 0; index < 3; index++)
			expect((await kaltura.notifications.sendEvent({ url, event: 'entryReady', object: String(entry.id), jobId })).statuses).to.deep.equal([
				200
			]);
		await waitUntil(() => discord.channelMessages(news).length > before, 'the post');
		await sleep(300);
		expect(discord.channelMessages(news).filter((message) => message.embeds[0]?.title === 'New video ready: Sent thrice')).to.have.length(1);
		expect(outbox().filter((row) => row.event_key === `job:${jobId}`)).to.have.length(1);
	});

	it('GIVEN 200 events for one channel and Discord’s 5-per-window limit THEN all arrive, in order, none twice', async function () {
		this.timeout(120_000);
		const names: string[] = [];
		for (let index = 1; index <= 200; index++) {
			const entry = kaltura.state.addEntry({ name: `Clip ${index}` });
			names.push(`New video added: Clip ${index}`);
			expect((await kaltura.notifications.sendEvent({ url, event: 'entryAdded', object: String(entry.id) })).statuses).to.deep.equal([200]);
		}
		const messages = await waitUntil(
			() => discord.channelMessages(flood).length >= 200 && discord.channelMessages(flood),
			'200 posts in #flood',
			90_000
		);
		await sleep(300);
		expect(discord.channelMessages(flood).map((message: APIMessage) => message.embeds[0]?.title)).to.deep.equal(names);
		expect(messages.every((message) => message.content === '' && message.mention_roles.length === 0)).to.equal(true);
		expect(
			outbox()
				.filter((row) => row.channel_id === flood)
				.map((row) => row.status)
		).to.deep.equal(names.map(() => 'delivered'));
		// Each message went out once: the limit was waited out, not retried into.
		expect(discord.requestsMatching({ method: 'POST', path: `/channels/${flood}/messages`, status: 200 })).to.have.length(200);
	});

	it('GIVEN a live stream that starts then ends THEN the channel keeps one message, edited to say it ended', async () => {
		const live = discord.addChannel(guildId, { name: 'live' }).id;
		expect(
			(
				await slash(guildId, ownerId, 'notifications', 'subscribe', {
					channel: live,
					events: 'live_stream.started,live_stream.ended'
				}).waitForReply()
			).content
		).to.include(`<#${live}> now gets`);
		const stream = kaltura.state.addLiveStream({ name: 'Town hall' });
		expect((await kaltura.notifications.sendEvent({ url, event: 'liveStreamStarted', object: String(stream.id) })).statuses).to.deep.equal([200]);
		const [started] = await waitUntil(() => discord.channelMessages(live).length === 1 && discord.channelMessages(live), 'the started post');
		expect(started!.embeds[0]?.title).to.equal('Live stream started: Town hall');
		expect((await kaltura.notifications.sendEvent({ url, event: 'liveStreamEnded', object: String(stream.id) })).statuses).to.deep.equal([200]);
		const [ended] = await waitUntil(
			() => discord.channelMessages(live)[0]?.embeds[0]?.title === 'Live stream ended: Town hall' && discord.channelMessages(live),
			'the post to be edited'
		);
		expect(discord.channelMessages(live)).to.have.length(1);
		expect(ended!.id).to.equal(started!.id);
		expect(ended!.edited_timestamp).to.be.a('string');
		// The edit shows in Discord a moment before the worker records it.
		const rows = await waitUntil(() => {
			const mine = outbox().filter((row) => row.channel_id === live);
			return mine.every((row) => row.status === 'delivered') && mine;
		}, 'both rows to be recorded');
		expect(rows.map((row) => [row.status, row.message_id])).to.deep.equal([
			['delivered', started!.id],
			['delivered', started!.id]
		]);

		// A second stream whose start post was deleted: its end is posted anew.
		const other = kaltura.state.addLiveStream({ name: 'Q&A' });
		await kaltura.notifications.sendEvent({ url, event: 'liveStreamStarted', object: String(other.id) });
		const second = await waitUntil(
			() => discord.channelMessages(live).find((message) => message.embeds[0]?.title === 'Live stream started: Q&A'),
			'the Q&A post'
		);
		// A moderator deletes it.
		discord.state.removeMessage(second, { ephemeral: false, source: 'user' });
		await kaltura.notifications.sendEvent({ url, event: 'liveStreamEnded', object: String(other.id) });
		await waitUntil(
			() => discord.channelMessages(live).some((message) => message.embeds[0]?.title === 'Live stream ended: Q&A'),
			'the Q&A end post'
		);
		expect(discord.channelMessages(live).map((message) => message.embeds[0]?.title)).to.deep.equal([
			'Live stream ended: Town hall',
			'Live stream ended: Q&A'
		]);
	});

	it('GIVEN a meeting scheduled then cancelled THEN its post is edited to say it was cancelled', async () => {
		const meetings = discord.addChannel(guildId, { name: 'meetings' }).id;
		expect(
			(
				await slash(guildId, ownerId, 'notifications', 'subscribe', {
					channel: meetings,
					events: 'meeting.scheduled,meeting.cancelled'
				}).waitForReply()
			).content
		).to.include(`<#${meetings}> now gets`);
		const start = Math.floor(Date.now() / 1000) + 3600;
		const meeting = kaltura.state.addScheduleEvent({ summary: 'Weekly sync', startDate: start, endDate: start + 1800 });
		const notify = (eventType: number, object: Record<string, unknown>) =>
			kaltura.notifications.send({
				url,
				payload: kaltura.notifications.buildNotification({
					eventType,
					eventObjectType: 'scheduleEventNotifications.ScheduleEvent',
					object,
					jobId: kaltura.notifications.nextJobId()
				})
			});
		expect((await notify(5, meeting)).statuses).to.deep.equal([200]);
		const [scheduled] = await waitUntil(
			() => discord.channelMessages(meetings).length === 1 && discord.channelMessages(meetings),
			'the scheduled post'
		);
		expect(scheduled!.embeds[0]?.title).to.equal('Meeting scheduled: Weekly sync');
		expect((await notify(3, { ...meeting, status: 1 })).statuses).to.deep.equal([200]);
		await waitUntil(() => discord.channelMessages(meetings)[0]?.embeds[0]?.title === 'Meeting cancelled: Weekly sync', 'the post to be edited');
		expect(discord.channelMessages(meetings).map((message) => message.id)).to.deep.equal([scheduled!.id]);
	});

	it('GIVEN a subscribed channel that is gone (404) THEN its row is failed and the subscription disabled', async () => {
		expect(
			(await slash(guildId, ownerId, 'notifications', 'subscribe', { channel: gone, events: 'entry.ready' }).waitForReply()).content
		).to.include(`<#${gone}> now gets`);
		discord.state.channels.delete(gone);
		const sent = await kaltura.notifications.sendEvent({
			url,
			event: 'entryReady',
			object: String(kaltura.state.addEntry({ name: 'Into the void' }).id)
		});
		expect(sent.statuses).to.deep.equal([200]);
		const row = await waitUntil(
			() => outbox().find((candidate) => candidate.channel_id === gone && candidate.status !== 'pending' && candidate.status !== 'sending'),
			'the row for #gone to settle'
		);
		expect(row.status).to.equal('failed');
		expect(row.last_error).to.match(/^404/);
		expect(subscriptionEnabled(gone)).to.equal(0);
		const list = await slash(guildId, ownerId, 'notifications', 'list').waitForReply();
		expect(list.embeds?.[0]?.description).to.include(`<#${gone}>: \`entry.ready\` — **disabled** (404`);
		const told = await waitUntil(
			() =>
				discord.requests.find(
					(request) => request.method === 'POST' && JSON.stringify(request.body ?? '').includes('are paused: the channel no longer exists')
				),
			'the owner to be told by DM'
		);
		expect(JSON.stringify(told.body)).to.include(`Kaltura notifications for <#${gone}> in **Notified** are paused`);
	});

	it('GIVEN the bot is SIGKILLed while delivering THEN after a restart on the same DATA_DIR every (event, channel) is posted exactly once', async () => {
		expect(
			(await slash(guildId, ownerId, 'notifications', 'subscribe', { channel: crash, events: 'entry.added' }).waitForReply()).content
		).to.include(`<#${crash}> now gets`);
		const floodBefore = discord.channelMessages(flood).length;
		const names: string[] = [];
		const keys: string[] = [];
		for (let index = 1; index <= 20; index++) {
			const entry = kaltura.state.addEntry({ name: `Crash clip ${index}` });
			names.push(`New video added: Crash clip ${index}`);
			const sent = await kaltura.notifications.sendEvent({ url, event: 'entryAdded', object: String(entry.id) });
			expect(sent.statuses).to.deep.equal([200]);
			keys.push(`job:${sent.jobId}`);
		}
		await waitUntil(() => discord.channelMessages(crash).length >= 5, 'the delivery a few posts in');
		process.kill(bot.nodePid, 'SIGKILL');
		await bot.exitCode;
		const rows = outbox().filter((row) => keys.includes(row.event_key));
		expect(rows, 'one row per (event, channel)').to.have.length(40);
		expect(rows.filter((row) => row.status !== 'delivered').length, 'killed before the end').to.be.greaterThan(0);

		bot = await BotProcess.start({ env });
		url = `${bot.apiUrl}/webhooks/kaltura`;
		await waitUntil(
			() => outbox().filter((row) => keys.includes(row.event_key) && row.status === 'delivered').length === 40,
			'all 40 deliveries',
			20_000
		);
		await sleep(300);
		const titles = (channelId: string) => discord.channelMessages(channelId).map((message) => message.embeds[0]?.title);
		expect(titles(crash)).to.deep.equal(names);
		expect(titles(flood).slice(floodBefore)).to.deep.equal(names);
	});

	it('GIVEN Discord refuses the bot token (reset) mid fan-out THEN deliveries wait, pending, /ready says why, one error is logged, and after a restart with the new token each is posted exactly once', async function () {
		this.timeout(90_000);
		const revokedA = discord.addChannel(guildId, { name: 'revoked-a' }).id;
		const revokedB = discord.addChannel(guildId, { name: 'revoked-b' }).id;
		for (const channel of [crash, revokedA, revokedB]) {
			expect(
				(await slash(guildId, ownerId, 'notifications', 'subscribe', { channel, events: 'entry.added' }).waitForReply()).content
			).to.include(`<#${channel}> now gets`);
		}
		// #flood and #crash get entry.added too: 20 events are 80 deliveries over four channels.
		const channels = [flood, crash, revokedA, revokedB];
		const before = new Map(channels.map((channel) => [channel, discord.channelMessages(channel).length]));
		const names: string[] = [];
		const keys: string[] = [];
		for (let index = 1; index <= 20; index++) {
			const entry = kaltura.state.addEntry({ name: `Token clip ${index}` });
			names.push(`New video added: Token clip ${index}`);
			const sent = await kaltura.notifications.sendEvent({ url, event: 'entryAdded', object: String(entry.id) });
			expect(sent.statuses).to.deep.equal([200]);
			keys.push(`job:${sent.jobId}`);
		}
		await waitUntil(() => discord.channelMessages(revokedA).length >= 3, 'a few posts in #revoked-a');
		const logFrom = bot.output().length;
		// The owner resets the token in the developer portal.
		const newToken = discord.resetToken();

		let ready: { status: string; checks: Record<string, boolean>; reason?: string } | undefined;
		for (const deadline = Date.now() + 10_000; ready === undefined && Date.now() < deadline; await sleep(50)) {
			const response = await fetch(`${bot.apiUrl}/ready`);
			if (response.status === 503) ready = (await response.json()) as typeof ready;
		}
		if (ready === undefined) throw new Error('/ready did not answer 503 within 10 s');
		expect(ready.status).to.equal('not_ready');
		expect(ready.checks.discord_token).to.equal(false);
		expect(ready.reason).to.equal('Discord refused the bot token (401); set a valid DISCORD_TOKEN and restart');

		const rows = () => outbox().filter((row) => keys.includes(row.event_key));
		await waitUntil(() => rows().every((row) => row.status !== 'sending') && rows(), 'the rows in flight to be put back');
		const refused = () => discord.requests.filter((request) => request.status === 401).length;
		const refusedOnce = refused();
		await sleep(2_500);
		expect(refused(), 'no more requests once the token was refused').to.equal(refusedOnce);
		expect(refusedOnce, 'at most one refused send per channel').to.be.within(1, channels.length);
		const held = rows();
		expect(held, 'one row per (event, channel)').to.have.length(80);
		expect(
			held.filter((row) => row.status === 'dead' || row.status === 'failed'),
			'none dead or failed'
		).to.deep.equal([]);
		const waiting = held.filter((row) => row.status !== 'delivered');
		expect(waiting.length, 'the refusal came mid fan-out').to.be.greaterThan(0);
		expect(waiting.map((row) => [row.status, row.attempts])).to.deep.equal(waiting.map(() => ['pending', 0]));
		const errors = bot
			.output()
			.slice(logFrom)
			.split('\n')
			.filter((line) => line.includes('"level":"error"'));
		expect(errors, 'one error line, not one per row').to.have.length(1);
		expect(errors[0]).to.include('Discord refused the bot token (401)');
		expect(errors[0]).to.not.include(newToken);

		expect(await bot.stop(), 'exit code after SIGTERM').to.equal(0);
		env = { ...env, DISCORD_TOKEN: newToken };
		bot = await BotProcess.start({ env });
		url = `${bot.apiUrl}/webhooks/kaltura`;
		await waitUntil(() => rows().filter((row) => row.status === 'delivered').length === 80, 'all 80 deliveries', 30_000);
		await sleep(300);
		expect(
			rows().map((row) => row.attempts),
			'each sent once: no attempt was burned by the refusal'
		).to.deep.equal(rows().map(() => 1));
		for (const channel of channels) {
			const titles = discord
				.channelMessages(channel)
				.slice(before.get(channel))
				.map((message) => message.embeds[0]?.title);
			expect(titles, `every (event, channel) posted exactly once, in order, in ${channel}`).to.deep.equal(names);
		}
	});

	it('GIVEN a Kaltura entry named like a masked link, with a long emoji description THEN the post shows the name as text, links nothing, and cuts no emoji', async () => {
		const family = '👨‍👩‍👧‍👦';
		const entry = kaltura.state.addEntry({
			name: 'x](https://evil.example/phish) [y',
			description: `[Sign in](https://evil.example/login) ${family.repeat(500)}`
		});
		const before = discord.channelMessages(news).length;
		expect((await kaltura.notifications.sendEvent({ url, event: 'entryReady', object: String(entry.id) })).statuses).to.deep.equal([200]);
		const message = await waitUntil(() => discord.channelMessages(news)[before], 'the post in #news');
		const embed = message.embeds[0]!;
		expect(embed.title).to.equal('New video ready: x\\]\\(https://evil.example/phish\\) \\[y');
		expect(maskedLinkTargets(embed.title!)).to.deep.equal([]);
		expect(maskedLinkTargets(embed.description!)).to.deep.equal([]);
		expect(embed.description!.length).to.be.at.most(4096);
		expect(hasLoneSurrogate(embed.description!)).to.equal(false);
		expect(embed.description!.endsWith(`${family}…`)).to.equal(true);
	});
});
