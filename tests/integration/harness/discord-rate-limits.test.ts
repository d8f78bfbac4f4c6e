import { expect } from 'chai';
import { Client, Events, GatewayIntentBits, MessageFlags, REST, Routes, type TextChannel } from 'discord.js';
import { DiscordStandIn, loginClient, type StoredGuild } from '../../harness/discord/index.js';

const MESSAGE_ROUTE = 'POST /channels/:channel_id/messages';

describe('Discord stand-in: rate limits', function () {
	this.timeout(20_000);

	let discord: DiscordStandIn;
	let client: Client | undefined;
	let guild: StoredGuild;

	afterEach(async () => {
		await client?.destroy();
		client = undefined;
		await discord.stop();
	});

	const connect = async (): Promise<Client> => {
		client = new Client({ intents: [GatewayIntentBits.Guilds], ...discord.clientOptions() });
		await loginClient(client, discord);
		return client;
	};

	it('GIVEN any REST call THEN the response carries the bucket headers; an exhausted bucket answers 429 the way Discord does', async () => {
		discord = await DiscordStandIn.start({ messageCreateRateLimit: { limit: 2, windowMs: 10_000 } });
		guild = discord.addGuild({ name: 'Headers' });
		const auth = { Authorization: `Bot ${discord.token}`, 'Content-Type': 'application/json' };

		const me = await fetch(`${discord.restUrl}/v10/users/@me`, { headers: auth });
		expect(me.status).to.equal(200);
		expect(me.headers.get('content-type')).to.match(/^application\/json/);
		expect(me.headers.get('x-ratelimit-limit')).to.equal('50');
		expect(me.headers.get('x-ratelimit-remaining')).to.equal('49');
		expect(Number(me.headers.get('x-ratelimit-reset-after'))).to.be.within(0, 1);
		expect(Number(me.headers.get('x-ratelimit-reset'))).to.be.closeTo(Date.now() / 1000 + 1, 2);
		expect(me.headers.get('x-ratelimit-bucket')).to.match(/^[0-9a-f]{32}$/);

		const post = () =>
			fetch(`${discord.restUrl}/v10/channels/${guild.systemChannelId}/messages`, {
				method: 'POST',
				headers: auth,
				body: JSON.stringify({ content: 'hi' })
			});
		expect((await post()).headers.get('x-ratelimit-remaining')).to.equal('1');
		expect((await post()).headers.get('x-ratelimit-remaining')).to.equal('0');
		const limited = await post();
		expect(limited.status).to.equal(429);
		expect(limited.headers.get('retry-after')).to.match(/^(9|10)$/);
		expect(limited.headers.get('x-ratelimit-scope')).to.equal('user');
		expect(limited.headers.get('x-ratelimit-global')).to.equal(null);
		const body = (await limited.json()) as { message: string; retry_after: number; global: boolean };
		expect(body.message).to.equal('You are being rate limited.');
		expect(body.global).to.equal(false);
		expect(body.retry_after).to.be.within(9, 10);
		expect(discord.channelMessages(guild.systemChannelId!)).to.have.length(2);
		expect(discord.rateLimitStats().byRoute).to.deep.equal({ [MESSAGE_ROUTE]: 1 });
	});

	it('GIVEN 5 messages per 500 ms WHEN the bot sends 12 messages to one channel THEN all arrive in order, paced by the headers', async () => {
		discord = await DiscordStandIn.start({ messageCreateRateLimit: { limit: 5, windowMs: 500 } });
		guild = discord.addGuild({ name: 'Chatty' });
		const bot = await connect();
		const channel = bot.channels.cache.get(guild.systemChannelId!) as TextChannel;

		const started = Date.now();
		await Promise.all(Array.from({ length: 12 }, (_, i) => channel.send(`message ${i}`)));
		const elapsed = Date.now() - started;

		expect(discord.channelMessages(channel.id).map((m) => m.content)).to.deep.equal(Array.from({ length: 12 }, (_, i) => `message ${i}`));
		expect(elapsed, '12 messages at 5 per 500 ms need three windows').to.be.at.least(1_000);
		expect(discord.rateLimitStats().total, 'discord.js paces itself from X-RateLimit-* and never hits 429').to.equal(0);
	});

	it('GIVEN a second process sharing the token WHEN both send to one channel THEN 429s are sent and counted, and discord.js waits them out', async () => {
		discord = await DiscordStandIn.start({ messageCreateRateLimit: { limit: 5, windowMs: 500 }, retryAfterHeader: 'exact' });
		guild = discord.addGuild({ name: 'Contended' });
		const bot = await connect();
		const channel = bot.channels.cache.get(guild.systemChannelId!) as TextChannel;
		const rival = new REST({ api: discord.restUrl }).setToken(discord.token);

		await Promise.all([
			...Array.from({ length: 12 }, (_, i) => channel.send(`bot ${i}`)),
			...Array.from({ length: 6 }, (_, i) => rival.post(Routes.channelMessages(channel.id), { body: { content: `rival ${i}` } }))
		]);

		const contents = discord.channelMessages(channel.id).map((m) => m.content);
		expect(contents.filter((c) => c.startsWith('bot '))).to.deep.equal(Array.from({ length: 12 }, (_, i) => `bot ${i}`));
		expect(contents.filter((c) => c.startsWith('rival '))).to.have.length(6);
		const stats = discord.rateLimitStats();
		expect(stats.route, 'route 429s').to.be.greaterThan(0);
		expect(stats.global).to.equal(0);
		expect(stats.byRoute[MESSAGE_ROUTE]).to.equal(stats.total);
		expect(Object.keys(stats.byBucket)).to.have.length(1);
		expect(Object.keys(stats.byBucket)[0]).to.match(new RegExp(`:${channel.id}$`));
		const limited = discord.requestsMatching({ route: '/channels/:channel_id/messages', status: 429 });
		expect(limited).to.have.length(stats.total);
		expect(limited.every((r) => (r.response as { global: boolean }).global === false)).to.equal(true);
	});

	it('GIVEN a global limit of 5 per second WHEN the bot fires 12 requests at different channels THEN global 429s are sent and all requests complete', async () => {
		discord = await DiscordStandIn.start({ globalRateLimit: { limit: 5, windowMs: 1_000 } });
		guild = discord.addGuild({ name: 'Busy' });
		const channelIds = Array.from({ length: 12 }, (_, i) => discord.addChannel(guild.id, { name: `room-${i}` }).id);
		const bot = await connect();

		const fetched = await Promise.all(channelIds.map((id) => bot.rest.get(Routes.channel(id)) as Promise<{ id: string }>));

		expect(fetched.map((c) => c.id)).to.deep.equal(channelIds);
		const stats = discord.rateLimitStats();
		expect(stats.global).to.be.greaterThan(0);
		expect(stats.byRoute.global).to.equal(stats.global);
		const globals = discord.requestsMatching({ status: 429 });
		expect(globals.length).to.equal(stats.total);
		for (const request of globals) {
			expect(request.response).to.deep.include({ message: 'You are being rate limited.', global: true });
			expect(request.responseHeaders['X-RateLimit-Global']).to.equal('true');
			expect(request.responseHeaders['X-RateLimit-Scope']).to.equal('global');
			expect(Number(request.responseHeaders['Retry-After'])).to.be.at.least(1);
		}
	});

	it('GIVEN the global limit is used up WHEN the bot answers an interaction THEN the callback and follow-up are exempt', async () => {
		discord = await DiscordStandIn.start({ globalRateLimit: { limit: 1, windowMs: 10_000 } });
		guild = discord.addGuild({ name: 'Exempt' });
		const memberId = discord.addMember(guild.id, { user: { username: 'alice' } }).user.id;
		const bot = await connect(); // GET /gateway/bot used the one global request
		bot.on(Events.InteractionCreate, (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			void (async () => {
				await interaction.reply({ content: 'still works', flags: MessageFlags.Ephemeral });
				await interaction.followUp({ content: 'me too', flags: MessageFlags.Ephemeral });
			})();
		});
		const handle = discord.runSlashCommand({ guildId: guild.id, memberId, name: 'exempt' });
		expect((await handle.waitForReply()).content).to.equal('still works');
		expect((await handle.waitForFollowUp()).content).to.equal('me too');
		expect(discord.rateLimitStats().total).to.equal(0);

		const blocked = await fetch(`${discord.restUrl}/v10/users/@me`, { headers: { Authorization: `Bot ${discord.token}` } });
		expect(blocked.status).to.equal(429);
		expect(blocked.headers.get('x-ratelimit-global')).to.equal('true');
	});

	it("GIVEN a wrong token or an unknown route THEN Discord's 401 and 404 JSON bodies are answered", async () => {
		discord = await DiscordStandIn.start();
		const unauthorized = await fetch(`${discord.restUrl}/v10/users/@me`, { headers: { Authorization: 'Bot nope' } });
		expect(unauthorized.status).to.equal(401);
		expect(await unauthorized.json()).to.deep.equal({ code: 0, message: '401: Unauthorized' });
		const missing = await fetch(`${discord.restUrl}/v10/definitely/not/a/route`, { headers: { Authorization: `Bot ${discord.token}` } });
		expect(missing.status).to.equal(404);
		expect(await missing.json()).to.deep.equal({ code: 0, message: '404: Not Found' });
	});
});
