import { expect } from 'chai';
import { Client, DiscordjsErrorCodes, GatewayIntentBits, GatewayRateLimitError, type Guild } from 'discord.js';
import { DiscordStandIn, loginClient, type DiscordStandInOptions, type StoredGuild } from '../../harness/discord/index.js';
import { rejectionOf } from '../../helpers/rejection-of.js';

describe('Discord stand-in: requesting guild members', function () {
	this.timeout(15_000);

	let discord: DiscordStandIn;
	let client: Client | undefined;
	let guild: StoredGuild;

	const start = async (options: DiscordStandInOptions = {}): Promise<void> => {
		discord = await DiscordStandIn.start(options);
		guild = discord.addGuild({ name: 'Members' });
		for (const username of ['alice', 'albert', 'bob']) discord.addMember(guild.id, { user: { username } });
	};

	const connect = async (intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers]): Promise<Guild> => {
		client = new Client({ intents, ...discord.clientOptions() });
		await loginClient(client, discord);
		return client.guilds.cache.get(guild.id)!;
	};

	afterEach(async () => {
		await client?.destroy();
		client = undefined;
		await discord.stop();
	});

	it('GIVEN the whole list was sent WHEN asked again inside 30 s THEN Discord answers RATE_LIMITED and discord.js rejects the fetch', async () => {
		await start();
		const cached = await connect();
		expect((await cached.members.fetch()).size).to.equal(5);

		const error = await rejectionOf(cached.members.fetch({ nonce: 'second-list' }));

		expect(error).to.be.instanceOf(GatewayRateLimitError);
		const data = (error as unknown as GatewayRateLimitError).data;
		expect(data.opcode).to.equal(8);
		expect(data.retry_after).to.be.within(28, 30);
		expect(data.meta).to.deep.equal({ guild_id: guild.id, nonce: 'second-list' });
		expect(discord.gateway.memberRequests.map((request) => request.outcome)).to.deep.equal(['answered', 'rate-limited']);
		expect(discord.gateway.connections.size, 'the connection stays open').to.equal(1);
	});

	it('GIVEN the whole list of one guild was sent THEN another guild, a prefix search and a lookup by id are still answered', async () => {
		await start();
		const other = discord.addGuild({ name: 'Other' });
		const cached = await connect();
		await cached.members.fetch();

		expect((await client!.guilds.cache.get(other.id)!.members.fetch()).size).to.equal(2);
		expect([...(await cached.members.fetch({ query: 'al', limit: 10 })).values()].map((member) => member.user.username).sort()).to.deep.equal([
			'albert',
			'alice'
		]);
		expect((await cached.members.fetch({ user: [discord.botUser.id] })).size).to.equal(1);
		expect(discord.gateway.memberRequests.map((request) => request.outcome)).to.deep.equal(['answered', 'answered', 'answered', 'answered']);
	});

	it('GIVEN a short window WHEN it has passed THEN the whole list is sent again', async () => {
		await start({ memberListWindowMs: 300 });
		const cached = await connect();
		await cached.members.fetch();
		expect(await rejectionOf(cached.members.fetch())).to.be.instanceOf(GatewayRateLimitError);
		await new Promise((resolve) => setTimeout(resolve, 350));
		expect((await cached.members.fetch()).size).to.equal(5);
	});

	it('GIVEN a session without the GUILD_MEMBERS intent WHEN it asks for the whole list THEN nothing comes back and the connection stays open; a prefix search still works', async () => {
		await start();
		const cached = await connect([GatewayIntentBits.Guilds]);

		const error = await rejectionOf(cached.members.fetch({ time: 500 }));

		expect((error as { code?: unknown }).code).to.equal(DiscordjsErrorCodes.GuildMembersTimeout);
		expect(discord.gateway.memberRequests.map((request) => request.outcome)).to.deep.equal(['ignored-no-members-intent']);
		expect(discord.gateway.closes).to.deep.equal([]);
		expect([...(await cached.members.fetch({ query: 'bob', limit: 1 })).values()].map((member) => member.user.username)).to.deep.equal(['bob']);
	});

	it('GIVEN more than 100 members match a prefix THEN Discord sends at most 100', async () => {
		await start();
		for (let index = 0; index < 120; index++) discord.addMember(guild.id, { user: { username: `many${index}` } });
		const cached = await connect();
		expect((await cached.members.fetch({ query: 'many', limit: 0 })).size).to.equal(100);
	});
});
