import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { waitUntil } from '../../helpers/wait-until.js';
import { parseExposition, valueOf, type Sample } from '../../helpers/metrics-text.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

/**
 * The metrics the gateway and Discord's answers move, on the Discord stand-in: the bot logged in over the gateway, members
 * running commands and context menus in several servers.
 */
describe('metrics plugin: gateway, context menus and Discord answers on the Discord stand-in', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	const ids: string[] = [];
	let servers: { id: string; admin: string; channel: string; message: string }[];

	const scrape = async () => {
		const response = await fetch(`${bot.apiUrl()}/metrics`);
		expect(response.status).to.equal(200);
		return parseExposition(await response.text());
	};

	before(async () => {
		// Short heartbeats, so that the shard has a ping to report within the test.
		discord = await DiscordStandIn.start({ heartbeatIntervalMs: 300 });
		servers = ['one', 'two', 'three'].map((name) => {
			const guild = discord.addGuild({ name });
			const admins = discord.addRole(guild.id, {
				name: 'Admins',
				permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents,
				position: 1
			});
			const admin = discord.addMember(guild.id, { user: { username: `${name}-admin` }, roles: [admins.id] }).user!.id;
			const channel = guild.systemChannelId!;
			const message = discord.addMessage({ channelId: channel, authorId: admin, content: 'Weekly review' }).id;
			ids.push(guild.id, admins.id, admin, channel, message);
			return { id: guild.id, admin, channel, message };
		});
		kaltura = await KalturaStandIn.start({ partnerId: 5150, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		bot = await startBotOnStandIns({ discord, kaltura });
		// Meetings on in the first two servers only.
		for (const server of servers.slice(0, 2)) await bot.guildConfig.set(server.id, 'plugins.meetings.enabled', true);
		await bot.guildConfig.set(servers[2]!.id, 'plugins.meetings.enabled', false);
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	it('GIVEN the bot is connected THEN its shard is connected with a ping, and the guilds and plugin guilds are counted', async () => {
		await waitUntil(() => bot.client.ws.ping >= 0, 'a heartbeat acknowledged');
		const samples = await scrape();
		expect(valueOf(samples, 'kaltura_bot_gateway_connected', { shard: '0' })).to.equal(1);
		const ping = samples.find((sample) => sample.name === 'kaltura_bot_gateway_ping_seconds' && sample.labels.shard === '0');
		expect(ping?.value).to.be.a('number').within(0, 5);
		expect(valueOf(samples, 'kaltura_bot_guilds')).to.equal(3);
		expect(valueOf(samples, 'kaltura_bot_plugin_enabled_guilds', { plugin: 'meetings' })).to.equal(2);
	});

	it('GIVEN "Start Kaltura meeting" where meetings are on and off THEN it counts ok and denied, and the meeting started by type', async () => {
		const menu = (server: (typeof servers)[number]) =>
			discord
				.runMessageContextMenu({ guildId: server.id, memberId: server.admin, name: 'Start Kaltura meeting', targetMessageId: server.message })
				.waitForReply(15_000);
		const labels = (outcome: string) => ({ kind: 'context_menu', command: 'Start Kaltura meeting', outcome });
		const before = await scrape();
		await menu(servers[0]!);
		await menu(servers[2]!);
		await new Promise((resolve) => setTimeout(resolve, 100));
		const after = await scrape();
		expect(valueOf(after, 'kaltura_bot_interactions_total', labels('ok'))).to.equal(
			valueOf(before, 'kaltura_bot_interactions_total', labels('ok')) + 1
		);
		expect(valueOf(after, 'kaltura_bot_interactions_total', labels('denied'))).to.equal(
			valueOf(before, 'kaltura_bot_interactions_total', labels('denied')) + 1
		);
		expect(valueOf(after, 'kaltura_bot_meetings_started_total')).to.equal(valueOf(before, 'kaltura_bot_meetings_started_total') + 1);
		expect(after.some((sample) => sample.name === 'kaltura_bot_meetings_started_total' && sample.labels.type !== undefined)).to.equal(true);
	});

	it('GIVEN /meeting join for the meeting just started THEN the join and the subcommand are counted', async () => {
		const before = await scrape();
		const server = servers[0]!;
		const reply = await discord
			.runSlashCommand({ guildId: server.id, memberId: server.admin, name: 'meeting', subcommand: 'join' })
			.waitForReply(15_000);
		expect(JSON.stringify(reply)).to.include('Weekly review');
		await new Promise((resolve) => setTimeout(resolve, 100));
		const after = await scrape();
		const joins = { kind: 'chat_input', command: 'meeting', subcommand: 'join', outcome: 'ok' };
		expect(valueOf(after, 'kaltura_bot_meeting_joins_total')).to.equal(valueOf(before, 'kaltura_bot_meeting_joins_total') + 1);
		expect(valueOf(after, 'kaltura_bot_interactions_total', joins)).to.equal(valueOf(before, 'kaltura_bot_interactions_total', joins) + 1);
	});

	it('GIVEN Discord asks the bot to reconnect THEN the reconnect and the resume are counted', async () => {
		const before = await scrape();
		const resumes = discord.gateway.resumes;
		discord.gateway.requestReconnect();
		await discord.waitForResume(resumes + 1);
		await new Promise((resolve) => setTimeout(resolve, 100));
		const after = await scrape();
		expect(valueOf(after, 'kaltura_bot_gateway_resumes_total', { shard: '0' })).to.equal(
			valueOf(before, 'kaltura_bot_gateway_resumes_total') + 1
		);
		expect(valueOf(after, 'kaltura_bot_gateway_reconnects_total', { shard: '0' })).to.be.greaterThan(
			valueOf(before, 'kaltura_bot_gateway_reconnects_total')
		);
	});

	it('GIVEN a route over its rate limit THEN the wait is counted by route template, not by channel', async () => {
		discord.rateLimits.configure({
			routes: [{ method: 'POST', route: '/channels/:channel_id/messages', limit: 1, windowMs: 300 }],
			retryAfter: 'exact'
		});
		const channel = servers[0]!.channel;
		await Promise.all([1, 2, 3].map((n) => bot.client.rest.post(`/channels/${channel}/messages`, { body: { content: `n${n}` } })));
		const labels = { route: '/channels/:id/messages', global: 'false' };
		expect(valueOf(await scrape(), 'kaltura_bot_discord_rate_limits_total', labels)).to.be.greaterThan(0);
	});

	it('GIVEN a signed Kaltura notification for a subscribed channel THEN it is counted as stored, then as delivered', async () => {
		const server = servers[1]!;
		await bot.guildConfig.set(server.id, 'plugins.notifications.enabled', true);
		const subscribed = await discord
			.runSlashCommand({
				guildId: server.id,
				memberId: server.admin,
				name: 'notifications',
				subcommand: 'subscribe',
				options: { channel: server.channel, events: 'entry.ready' }
			})
			.waitForReply(15_000);
		expect(subscribed.content).to.match(/now gets `entry\.ready`/);
		const before = await scrape();
		const entry = kaltura.state.addEntry({ name: 'Lecture one' });
		const posted = discord.waitForMessage(
			{ channelId: server.channel, kind: 'create', predicate: (event) => JSON.stringify(event.message).includes('Lecture one') },
			15_000
		);
		const sent = await kaltura.notifications.sendEvent({
			url: `${bot.apiUrl()}/webhooks/kaltura`,
			event: 'entryReady',
			object: String(entry.id),
			algo: 'sha256'
		});
		expect(sent.statuses).to.deep.equal([200]);
		await posted;
		await new Promise((resolve) => setTimeout(resolve, 100));
		const after = await scrape();
		const stored = { type: 'entry.ready', outcome: 'stored' };
		expect(valueOf(after, 'kaltura_bot_webhooks_total', stored)).to.equal(valueOf(before, 'kaltura_bot_webhooks_total', stored) + 1);
		expect(valueOf(after, 'kaltura_bot_notifications_delivered_total')).to.equal(
			valueOf(before, 'kaltura_bot_notifications_delivered_total') + 1
		);
	});

	it('GIVEN everything above THEN no label value holds a guild, role, member, channel or message id', async () => {
		const samples = await scrape();
		for (const sample of samples)
			for (const value of Object.values(sample.labels)) for (const id of ids) expect(value, sample.name).to.not.include(id);
	});

	it('GIVEN Discord refuses the token THEN the invalid request is counted in the window', async () => {
		const before = valueOf(await scrape(), 'kaltura_bot_discord_invalid_requests');
		discord.resetToken();
		await bot.client.rest.get('/users/@me').catch(() => undefined);
		expect(valueOf(await scrape(), 'kaltura_bot_discord_invalid_requests')).to.equal(before + 1);
	});
});

describe('metrics plugin: user-sync passes', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let guildId: string;
	let admin: string;

	before(async () => {
		discord = await DiscordStandIn.start({ privilegedIntents: { guildMembers: true } });
		const guild = discord.addGuild({ name: 'synced' });
		guildId = guild.id;
		const admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 1 });
		admin = discord.addMember(guildId, { user: { username: 'sync-admin' }, roles: [admins.id] }).user!.id;
		discord.addMember(guildId, { user: { username: 'sync-member' } });
		kaltura = await KalturaStandIn.start({ partnerId: 5150, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		bot = await startBotOnStandIns({ discord, kaltura }, { env: { DISCORD_PRIVILEGED_INTENTS: 'GuildMembers' } });
		await bot.guildConfig.set(guildId, 'plugins.user-sync.enabled', true);
		await bot.guildConfig.set(guildId, 'user-sync.reconcileIntervalMinutes', 0);
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	it('GIVEN /kaltura-sync runs to the end THEN one completed pass is counted and timed', async () => {
		const passes = async () => valueOf(await scrapeOf(bot), 'kaltura_bot_user_sync_passes_total');
		expect(await passes()).to.equal(0);
		const handle = discord.runSlashCommand({ guildId, memberId: admin, name: 'kaltura-sync' });
		await waitUntil(() => handle.edits.find((edit) => edit.content.startsWith('**Synced')), 'the summary', 20_000);
		// The pass is counted as it records its end, just after the summary.
		for (let tries = 0; (await passes()) === 0 && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
		const samples = await scrapeOf(bot);
		expect(valueOf(samples, 'kaltura_bot_user_sync_passes_total', { result: 'completed' })).to.equal(1);
		expect(valueOf(samples, 'kaltura_bot_user_sync_pass_duration_seconds_count')).to.equal(1);
	});
});

async function scrapeOf(bot: TestBot): Promise<Sample[]> {
	return parseExposition(await (await fetch(`${bot.apiUrl()}/metrics`)).text());
}
