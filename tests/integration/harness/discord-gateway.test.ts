import { once } from 'node:events';
import { expect } from 'chai';
import { ChannelType, Client, Events, GatewayIntentBits, type GuildMember, type Message } from 'discord.js';
import WebSocket from 'ws';
import { DiscordStandIn, loginClient, type StoredGuild } from '../../harness/discord/index.js';

const ALL_INTENTS = [
	GatewayIntentBits.Guilds,
	GatewayIntentBits.GuildMembers,
	GatewayIntentBits.GuildMessages,
	GatewayIntentBits.MessageContent,
	GatewayIntentBits.DirectMessages
];

function eventually<T>(emitter: Client, event: string, timeoutMs = 5_000): Promise<T[]> {
	return once(emitter, event, { signal: AbortSignal.timeout(timeoutMs) }) as Promise<T[]>;
}

describe('Discord stand-in: gateway', function () {
	this.timeout(15_000);

	let discord: DiscordStandIn;
	let client: Client | undefined;
	let guild: StoredGuild;

	beforeEach(async () => {
		discord = await DiscordStandIn.start({ heartbeatIntervalMs: 300 });
		guild = discord.addGuild({ name: 'Gateway Guild' });
	});

	afterEach(async () => {
		await client?.destroy();
		client = undefined;
		await discord.stop();
	});

	const connect = async (intents = ALL_INTENTS): Promise<Client> => {
		client = new Client({ intents, ...discord.clientOptions() });
		await loginClient(client, discord);
		return client;
	};

	it('GIVEN a seeded guild WHEN the client logs in THEN it is ready with the guild, channels, roles and members cached', async () => {
		const mods = discord.addRole(guild.id, { name: 'Moderators', permissions: 1n << 13n });
		const voice = discord.addChannel(guild.id, { name: 'Voice', type: ChannelType.GuildVoice });
		const alice = discord.addMember(guild.id, { user: { username: 'alice' }, roles: [mods.id], nick: 'Ali' });

		const bot = await connect();

		const cached = bot.guilds.cache.get(guild.id);
		expect(cached, 'guild cached').to.not.equal(undefined);
		expect(cached!.available).to.equal(true);
		expect(cached!.name).to.equal('Gateway Guild');
		expect(cached!.roles.everyone.id).to.equal(guild.id);
		expect(cached!.roles.cache.get(mods.id)?.name).to.equal('Moderators');
		expect(cached!.channels.cache.get(voice.id)?.type).to.equal(ChannelType.GuildVoice);
		expect(cached!.channels.cache.find((c) => c.name === 'general')?.type).to.equal(ChannelType.GuildText);
		expect(cached!.members.me?.id).to.equal(discord.botUser.id);
		expect(cached!.members.cache.get(alice.user.id)?.nickname).to.equal('Ali');
		expect(cached!.members.cache.get(alice.user.id)?.roles.cache.has(mods.id)).to.equal(true);
		expect(cached!.memberCount).to.equal(3); // owner, bot, alice
		expect(bot.user?.id).to.equal(discord.botUser.id);
		expect(bot.application?.id).to.equal(discord.applicationId);
		// discord.js itself only discovers the gateway over REST.
		expect(discord.requests.map((r) => `${r.method} ${r.route}`)).to.deep.equal(['GET /gateway/bot']);
	});

	it('GIVEN a short heartbeat interval THEN the client heartbeats and the stand-in acknowledges', async () => {
		const bot = await connect();
		await discord.waitFor(() => ([...discord.gateway.connections][0]?.heartbeats ?? 0) >= 2 || undefined, 'two heartbeats', 3_000);
		await discord.waitFor(() => (bot.ws.ping >= 0 ? true : undefined), 'a measured ping', 3_000);
		expect(bot.ws.ping).to.be.at.least(0);
	});

	it('GIVEN the socket is dropped server-side WHEN a member joins meanwhile THEN the client resumes and receives the missed GUILD_MEMBER_ADD', async () => {
		const bot = await connect();
		const resumed = eventually(bot, Events.ShardResume);
		const joined = eventually<GuildMember>(bot, Events.GuildMemberAdd);

		expect(discord.gateway.dropConnections()).to.equal(1);
		const late = discord.memberJoin(guild.id, { user: { username: 'latecomer' } });

		const [member] = await joined;
		await resumed;
		expect(member!.id).to.equal(late.user.id);
		expect(member!.guild.id).to.equal(guild.id);
		expect(discord.gateway.identifies).to.equal(1);
		expect(discord.gateway.resumes).to.equal(1);
		const resumeConnection = [...discord.gateway.connections][0];
		expect(resumeConnection?.path, 'the client reconnected to resume_gateway_url').to.equal('/resume');
	});

	it('GIVEN the stand-in stops acknowledging heartbeats THEN discord.js drops the zombie connection and resumes', async () => {
		const bot = await connect();
		const resumed = eventually(bot, Events.ShardResume);
		discord.gateway.options.ackHeartbeats = false;
		await discord.waitFor(() => (discord.gateway.connections.size === 0 ? true : undefined), 'the zombie connection to close', 3_000);
		discord.gateway.options.ackHeartbeats = true;
		await resumed;
		expect(discord.gateway.resumes).to.equal(1);
		expect(discord.gateway.identifies).to.equal(1);
	});

	it('GIVEN op 7 RECONNECT THEN the client reconnects and resumes its session', async () => {
		const bot = await connect();
		const resumed = eventually(bot, Events.ShardResume);
		discord.gateway.requestReconnect();
		await resumed;
		expect(discord.gateway.resumes).to.equal(1);
		expect(discord.gateway.identifies).to.equal(1);
	});

	it('GIVEN a connected client WHEN a member joins THEN guildMemberAdd fires with the member', async () => {
		const bot = await connect();
		const joined = eventually<GuildMember>(bot, Events.GuildMemberAdd);
		const added = discord.memberJoin(guild.id, { user: { username: 'newcomer', globalName: 'New Comer' }, nick: 'newbie' });
		const [member] = await joined;
		expect(member!.id).to.equal(added.user.id);
		expect(member!.nickname).to.equal('newbie');
		expect(member!.user.globalName).to.equal('New Comer');
	});

	it('GIVEN members WHEN they update and leave THEN guildMemberUpdate and guildMemberRemove fire', async () => {
		const role = discord.addRole(guild.id, { name: 'Helper' });
		const bob = discord.addMember(guild.id, { user: { username: 'bob' } });
		const bot = await connect();
		const updated = eventually<GuildMember>(bot, Events.GuildMemberUpdate);
		discord.memberUpdate(guild.id, bob.user.id, { roles: [role.id] });
		const [, after] = await updated;
		expect(after!.roles.cache.has(role.id)).to.equal(true);

		const removed = eventually<GuildMember>(bot, Events.GuildMemberRemove);
		discord.memberLeave(guild.id, bob.user.id);
		const [gone] = await removed;
		expect(gone!.id).to.equal(bob.user.id);
	});

	it('GIVEN a member posts WHEN the bot has the MessageContent intent THEN messageCreate carries the content; without it the content is stripped', async () => {
		const carol = discord.addMember(guild.id, { user: { username: 'carol' } });
		const bot = await connect();
		const received = eventually<Message>(bot, Events.MessageCreate);
		discord.postMessage({ channelId: guild.systemChannelId!, authorId: carol.user.id, content: '!ping' });
		const [message] = await received;
		expect(message!.content).to.equal('!ping');
		expect(message!.author.id).to.equal(carol.user.id);
		expect(message!.member?.id).to.equal(carol.user.id);

		await bot.destroy();
		client = undefined;
		const limited = await connect([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
		const stripped = eventually<Message>(limited, Events.MessageCreate);
		discord.postMessage({ channelId: guild.systemChannelId!, authorId: carol.user.id, content: 'secret' });
		const [withoutContent] = await stripped;
		expect(withoutContent!.content).to.equal('');
	});

	it('GIVEN a ready client WHEN the bot is added to another guild THEN guildCreate fires', async () => {
		const bot = await connect();
		const created = eventually(bot, Events.GuildCreate);
		const other = discord.joinGuild({ name: 'Second Guild' });
		const [joined] = (await created) as { id: string; name: string }[];
		expect(joined!.id).to.equal(other.id);
		expect(bot.guilds.cache.get(other.id)?.members.me?.id).to.equal(discord.botUser.id);
	});

	it('GIVEN a guild WHEN the client fetches all members THEN REQUEST_GUILD_MEMBERS is answered with a chunk', async () => {
		for (const name of ['dan', 'dora', 'erin']) discord.addMember(guild.id, { user: { username: name } });
		const bot = await connect([GatewayIntentBits.Guilds]);
		const cached = bot.guilds.cache.get(guild.id)!;
		expect(cached.members.cache.size, 'without the GuildMembers intent only the bot is sent').to.equal(1);
		const found = await cached.members.fetch({ query: 'd', limit: 10 });
		expect([...found.values()].map((m) => m.user.username).sort()).to.deep.equal(['dan', 'dora']);
	});

	it('GIVEN a raw websocket WHEN it asks for etf encoding or sends a wrong token THEN the stand-in closes with a clear code', async () => {
		const etf = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=etf`);
		const [etfCode, etfReason] = (await once(etf, 'close')) as [number, Buffer];
		expect(etfCode).to.equal(4002);
		expect(etfReason.toString()).to.match(/etf.*not supported/);

		const ws = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json`);
		const [hello] = (await once(ws, 'message')) as [Buffer];
		expect(JSON.parse(hello.toString())).to.deep.include({ op: 10, d: { heartbeat_interval: 300 } });
		ws.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
		const [code] = (await once(ws, 'close')) as [number];
		expect(code).to.equal(4004);
	});
});
