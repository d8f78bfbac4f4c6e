import { once } from 'node:events';
import { expect } from 'chai';
import {
	Client,
	Events,
	GatewayIntentBits,
	MessageType,
	OverwriteType,
	PermissionFlagsBits,
	type Message,
	type PartialMessage,
	type TextChannel
} from 'discord.js';
import { DiscordStandIn, loginClient, type StoredGuild } from '../../harness/discord/index.js';
import { discordRejectionOf } from '../../helpers/rejection-of.js';

describe('Discord stand-in: REST resources', function () {
	this.timeout(15_000);

	let discord: DiscordStandIn;
	let client: Client;
	let guild: StoredGuild;
	let general: TextChannel;

	beforeEach(async () => {
		discord = await DiscordStandIn.start();
		guild = discord.addGuild({ name: 'Rest Guild' });
	});

	afterEach(async () => {
		await client?.destroy();
		await discord.stop();
	});

	const connect = async (): Promise<Client> => {
		client = new Client({
			intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
			...discord.clientOptions()
		});
		await loginClient(client, discord);
		general = client.channels.cache.get(guild.systemChannelId!) as TextChannel;
		return client;
	};

	it('GIVEN a text channel WHEN the bot sends, edits and deletes a message THEN the stand-in records it and the gateway echoes it', async () => {
		const bot = await connect();
		const created = once(bot, Events.MessageCreate) as Promise<Message[]>;
		const sent = await general.send('first draft');
		const [echo] = await created;
		expect(echo!.id).to.equal(sent.id);
		expect(echo!.author.id).to.equal(discord.botUser.id);

		const updated = once(bot, Events.MessageUpdate) as Promise<Message[]>;
		const edited = await sent.edit('final');
		expect(edited.editedTimestamp).to.be.a('number');
		const [, after] = await updated;
		expect(after!.content).to.equal('final');

		const deleted = once(bot, Events.MessageDelete) as Promise<(Message | PartialMessage)[]>;
		await sent.delete();
		expect((await deleted)[0]!.id).to.equal(sent.id);

		expect(discord.messageEvents.map((e) => `${e.kind}:${e.message.content}:${e.source}`)).to.deep.equal([
			'create:first draft:rest',
			'update:final:rest',
			'delete:final:rest'
		]);
		expect(discord.channelMessages(general.id)).to.have.length(0);
	});

	it('GIVEN a member message WHEN the bot replies with a file THEN the reply references it and the file is served', async () => {
		const alice = discord.addMember(guild.id, { user: { username: 'alice' } }).user.id;
		await connect();
		const original = discord.addMessage({ channelId: general.id, authorId: alice, content: `hello <@${discord.botUser.id}>` });
		const message = await general.messages.fetch(original.id);
		expect(message.mentions.users.has(discord.botUser.id)).to.equal(true);

		const reply = await message.reply({ content: 'here you go', files: [{ attachment: Buffer.from('file body'), name: 'notes.txt' }] });
		expect(reply.type).to.equal(MessageType.Reply);
		expect(reply.reference?.messageId).to.equal(original.id);
		const attachment = reply.attachments.first();
		expect(attachment?.name).to.equal('notes.txt');
		expect(attachment?.size).to.equal(9);
		const download = await fetch(attachment!.url);
		expect(await download.text()).to.equal('file body');
		const [post] = discord.requestsMatching({ method: 'POST', route: '/channels/:channel_id/messages' });
		expect(post?.files.map((f) => f.filename)).to.deep.equal(['notes.txt']);
		expect((post?.body as { content: string }).content).to.equal('here you go');
	});

	it('GIVEN history WHEN the bot fetches messages THEN they come newest first and honour limit/before', async () => {
		const alice = discord.addMember(guild.id, { user: { username: 'alice' } }).user.id;
		const ids = Array.from(
			{ length: 5 },
			(_, i) => discord.addMessage({ channelId: guild.systemChannelId!, authorId: alice, content: `m${i}` }).id
		);
		await connect();
		const latest = await general.messages.fetch({ limit: 3 });
		expect([...latest.values()].map((m) => m.content)).to.deep.equal(['m4', 'm3', 'm2']);
		const older = await general.messages.fetch({ limit: 10, before: ids[2] });
		expect([...older.values()].map((m) => m.content)).to.deep.equal(['m1', 'm0']);
	});

	it('GIVEN uncached members and roles WHEN the bot fetches them over REST THEN it gets them', async () => {
		const role = discord.addRole(guild.id, { name: 'Staff', permissions: PermissionFlagsBits.KickMembers });
		const zed = discord.addMember(guild.id, { user: { username: 'zed' }, roles: [role.id] }).user.id;
		const bot = await connect();
		const cachedGuild = bot.guilds.cache.get(guild.id)!;
		const member = await cachedGuild.members.fetch(zed);
		expect(member.roles.cache.has(role.id)).to.equal(true);
		expect(member.permissions.has(PermissionFlagsBits.KickMembers)).to.equal(true);
		const listed = await cachedGuild.members.list({ limit: 2 });
		expect(listed.size).to.equal(2);
		const roles = await cachedGuild.roles.fetch();
		expect(roles.has(guild.id) && roles.has(role.id)).to.equal(true);
		const channel = await bot.channels.fetch(general.id, { cache: false });
		expect(channel?.id).to.equal(general.id);
		const app = await bot.application!.fetch();
		expect(app.id).to.equal(discord.applicationId);
		const missing = await discordRejectionOf(cachedGuild.members.fetch('123456789012345678'));
		expect(missing.code).to.equal(10007);
	});

	it('GIVEN a user WHEN the bot DMs them THEN a DM channel is created; a user with closed DMs gives 50007', async () => {
		const open = discord.addMember(guild.id, { user: { username: 'open' } }).user.id;
		const closed = discord.addMember(guild.id, { user: { username: 'closed', acceptsDirectMessages: false } }).user.id;
		const bot = await connect();
		const dm = await (await bot.users.fetch(open)).send('psst');
		expect(discord.channelMessages(dm.channelId).map((m) => m.content)).to.deep.equal(['psst']);
		expect(discord.state.dmChannels.get(open)).to.equal(dm.channelId);
		const refused = await discordRejectionOf((await bot.users.fetch(closed)).send('psst'));
		expect(refused.code).to.equal(50007);
	});

	it('GIVEN a member message WHEN the bot and a user react THEN reactions are stored and MESSAGE_REACTION_ADD reaches the bot', async () => {
		const alice = discord.addMember(guild.id, { user: { username: 'alice' } }).user.id;
		client = new Client({
			intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildMessageReactions],
			...discord.clientOptions()
		});
		await loginClient(client, discord);
		general = client.channels.cache.get(guild.systemChannelId!) as TextChannel;
		const posted = discord.addMessage({ channelId: general.id, authorId: alice, content: 'react to me' });
		const message = await general.messages.fetch(posted.id);
		await message.react('👍');
		expect(discord.reactions.usersOf(posted.id, '👍')).to.deep.equal([discord.botUser.id]);

		const added = once(client, Events.MessageReactionAdd) as Promise<[{ emoji: { name: string | null } }, { id: string }]>;
		discord.react({ messageId: posted.id, userId: alice, emoji: '👍' });
		const [reaction, user] = await added;
		expect(reaction.emoji.name).to.equal('👍');
		expect(user.id).to.equal(alice);
		const refetched = await general.messages.fetch({ message: posted.id, force: true });
		expect(refetched.reactions.cache.get('👍')?.count).to.equal(2);
		expect(refetched.reactions.cache.get('👍')?.me).to.equal(true);
	});

	it('GIVEN role hierarchy WHEN the bot adds and removes roles THEN Manage Roles and position are enforced', async () => {
		const low = discord.addRole(guild.id, { name: 'Low', position: 1 });
		const high = discord.addRole(guild.id, { name: 'High', position: 10 });
		const target = discord.addMember(guild.id, { user: { username: 'target' } }).user.id;
		const bot = await connect();
		const cachedGuild = bot.guilds.cache.get(guild.id)!;
		const member = await cachedGuild.members.fetch(target);
		const withoutPermission = await discordRejectionOf(member.roles.add(low.id));
		expect(withoutPermission.code).to.equal(50013);

		const botRole = [...guild.roles.values()].find((r) => r.managed)!;
		botRole.permissions = String(PermissionFlagsBits.ManageRoles);
		botRole.position = 5;
		await member.roles.add(low.id);
		expect(discord.state.requireMember(guild.id, target).roles).to.deep.equal([low.id]);
		const aboveBot = await discordRejectionOf(member.roles.add(high.id));
		expect(aboveBot.code).to.equal(50013);
		await member.roles.remove(low.id);
		expect(discord.state.requireMember(guild.id, target).roles).to.deep.equal([]);
	});

	it('GIVEN channel overwrites WHEN the bot lacks access or send permission THEN 50001 / 50013; empty messages give 50006', async () => {
		const hidden = discord.addChannel(guild.id, {
			name: 'hidden',
			permissionOverwrites: [{ id: guild.id, type: OverwriteType.Role, allow: '0', deny: String(PermissionFlagsBits.ViewChannel) }]
		});
		const readonly = discord.addChannel(guild.id, {
			name: 'announcements',
			permissionOverwrites: [{ id: guild.id, type: OverwriteType.Role, allow: '0', deny: String(PermissionFlagsBits.SendMessages) }]
		});
		const bot = await connect();
		const noAccess = await discordRejectionOf(bot.rest.post(`/channels/${hidden.id}/messages`, { body: { content: 'x' } }));
		expect(noAccess.code).to.equal(50001);
		expect(noAccess.status).to.equal(403);
		const noSend = await discordRejectionOf((bot.channels.cache.get(readonly.id) as TextChannel).send('x'));
		expect(noSend.code).to.equal(50013);
		const empty = await discordRejectionOf(bot.rest.post(`/channels/${general.id}/messages`, { body: { content: '' } }));
		expect(empty.code).to.equal(50006);
		const tooLong = await discordRejectionOf(general.send('x'.repeat(2001)));
		expect(tooLong.message).to.include('content[BASE_TYPE_MAX_LENGTH]: Must be 2000 or fewer in length.');
	});
});

describe('Discord stand-in: scale and sharding', function () {
	this.timeout(30_000);

	let discord: DiscordStandIn;
	let client: Client | undefined;

	afterEach(async () => {
		await client?.destroy();
		client = undefined;
		await discord.stop();
	});

	it('GIVEN 3,000 guilds THEN one shard is refused with 4011 and the recommended 3 shards get every guild', async () => {
		discord = await DiscordStandIn.start({ sessionStartLimit: { maxConcurrency: 16 } });
		const seeding = Date.now();
		for (let i = 0; i < 3_000; i += 1) discord.addGuild({ name: `guild ${i}`, createGeneralChannel: false });

		expect(Date.now() - seeding, 'seeding 3000 guilds').to.be.below(3_000);

		client = new Client({ intents: [GatewayIntentBits.Guilds], shards: 'auto', ...discord.clientOptions() });
		const started = Date.now();
		await loginClient(client, discord, 20_000);
		expect(client.ws.shards.size, 'GET /gateway/bot recommends one shard per 1000 guilds').to.equal(3);
		expect(client.guilds.cache.size).to.equal(3_000);
		expect([...client.guilds.cache.values()].every((g) => g.available)).to.equal(true);
		expect(Date.now() - started).to.be.below(15_000);
		await client.destroy();
		client = undefined;

		const single = new Client({ intents: [GatewayIntentBits.Guilds], ...discord.clientOptions() });
		const disconnected = once(single, Events.ShardDisconnect) as Promise<[{ code: number }]>;
		void single.login(discord.token).catch(() => undefined);
		const [event] = await disconnected;
		expect(event.code).to.equal(4011);
		await single.destroy();
	});

	it('GIVEN a ready client WHEN 5,000 GUILD_CREATEs are dispatched THEN all arrive without quadratic slowdown', async () => {
		discord = await DiscordStandIn.start({ maxGuildsPerShard: 10_000 });
		client = new Client({ intents: [GatewayIntentBits.Guilds], ...discord.clientOptions() });
		await loginClient(client, discord);
		let created = 0;
		client.on(Events.GuildCreate, () => {
			created += 1;
		});
		const started = Date.now();
		for (let i = 0; i < 5_000; i += 1) discord.joinGuild({ name: `joined ${i}` });
		await discord.waitFor(
			() => (created === 5_000 ? true : undefined),
			'5000 guildCreate events',
			20_000,
			() => `  got ${created}`
		);
		expect(client.guilds.cache.size).to.equal(5_000);
		expect(Date.now() - started).to.be.below(15_000);
	});
});
