import { expect } from 'chai';
import { Client, GatewayIntentBits, type Guild } from 'discord.js';
import { fetchAllMembers, MemberListUnavailableError } from '../lib/fetch-all-members.js';
import { DiscordStandIn, loginClient, type DiscordStandInOptions, type StoredGuild } from '../../../tests/harness/discord/index.js';
import { rejectionOf } from '../../../tests/helpers/rejection-of.js';

describe('user-sync: fetchAllMembers against Discord’s member-list limit', function () {
	this.timeout(15_000);

	let discord: DiscordStandIn;
	let client: Client | undefined;
	let guild: StoredGuild;

	const start = async (
		options: DiscordStandInOptions = {},
		intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers]
	): Promise<Guild> => {
		discord = await DiscordStandIn.start(options);
		guild = discord.addGuild({ name: 'Sync' });
		for (const username of ['alice', 'bob', 'carol']) discord.addMember(guild.id, { user: { username } });
		client = new Client({ intents, ...discord.clientOptions() });
		await loginClient(client, discord);
		return client.guilds.cache.get(guild.id)!;
	};

	const outcomes = (): string[] => discord.gateway.memberRequests.map((request) => request.outcome);

	afterEach(async () => {
		await client?.destroy();
		client = undefined;
		await discord.stop();
	});

	it('GIVEN the list was just fetched WHEN a second pass asks inside the window THEN Discord answers RATE_LIMITED and the helper waits it out and gets the list', async () => {
		const cached = await start({ memberListWindowMs: 800 });
		expect((await fetchAllMembers(cached)).size).to.equal(5);

		const started = Date.now();
		const members = await fetchAllMembers(cached);

		expect(members.size).to.equal(5);
		expect(outcomes()).to.deep.equal(['answered', 'rate-limited', 'answered']);
		expect(Date.now() - started).to.be.at.least(discord.gateway.memberRequests[1]!.retryAfter! * 1000);
	});

	it('GIVEN Discord’s 30 s window and a caller that will not wait that long THEN it fails saying when to try again', async () => {
		const cached = await start();
		await fetchAllMembers(cached);

		const error = await rejectionOf(fetchAllMembers(cached, undefined, { maxWaitMs: 5_000 }));

		expect(error).to.be.instanceOf(MemberListUnavailableError);
		const failure = error as unknown as MemberListUnavailableError;
		expect(failure.problem).to.equal('rate-limited');
		expect(failure.retryAt!.getTime() - Date.now()).to.be.within(25_000, 31_000);
		expect(failure.userMessage).to.match(/once every 30 seconds.*try again in 3[01] seconds/);
		expect(outcomes()).to.deep.equal(['answered', 'rate-limited']);
	});

	it('GIVEN a second attempt refused too THEN it fails instead of retrying again', async () => {
		const cached = await start({ memberListWindowMs: 400 });
		// Another process of the bot, which takes the list the moment the window reopens, before the helper's retry. It logs in
		// first: Discord spaces the two sessions' identifies by 5 s, far longer than the 400 ms window this test races.
		const other = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers], ...discord.clientOptions() });
		await loginClient(other, discord);
		try {
			await fetchAllMembers(cached);
			const retried = fetchAllMembers(cached);
			await discord.waitFor(() => (outcomes().length === 2 ? true : undefined), 'the rate-limited request');
			const reopensAt = discord.gateway.memberRequests[1]!.at + discord.gateway.memberRequests[1]!.retryAfter! * 1000;
			await new Promise((resolve) => setTimeout(resolve, Math.max(0, reopensAt - Date.now()) + 20));
			await other.guilds.cache.get(guild.id)!.members.fetch();

			const error = await rejectionOf(retried);

			expect((error as unknown as MemberListUnavailableError).problem).to.equal('rate-limited');
			expect(outcomes()).to.deep.equal(['answered', 'rate-limited', 'answered', 'rate-limited']);
		} finally {
			await other.destroy();
		}
	});

	it('GIVEN a bot without the GUILD_MEMBERS intent THEN it fails at once saying to enable Server Members Intent, without asking Discord', async () => {
		const cached = await start({}, [GatewayIntentBits.Guilds]);
		const started = Date.now();

		const error = await rejectionOf(fetchAllMembers(cached));

		expect(Date.now() - started).to.be.below(1_000);
		expect((error as unknown as MemberListUnavailableError).problem).to.equal('no-members-intent');
		expect((error as unknown as MemberListUnavailableError).userMessage).to.match(
			/Server Members Intent.*developer portal.*DISCORD_PRIVILEGED_INTENTS/
		);
		expect(outcomes()).to.deep.equal([]);
	});

	it('GIVEN the caller aborts while the helper waits out the limit THEN it stops with the abort reason', async () => {
		const cached = await start({ memberListWindowMs: 10_000 });
		await fetchAllMembers(cached);
		const controller = new AbortController();
		const pending = fetchAllMembers(cached, controller.signal);
		await discord.waitFor(() => (outcomes().length === 2 ? true : undefined), 'the rate-limited request');
		controller.abort(new Error('plugin unloaded'));

		expect(String(await rejectionOf(pending))).to.match(/plugin unloaded/);
		expect(outcomes()).to.deep.equal(['answered', 'rate-limited']);
	});
});
