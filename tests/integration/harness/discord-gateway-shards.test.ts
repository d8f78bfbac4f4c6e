import { expect } from 'chai';
import { Client, Events, GatewayIntentBits, type Guild, type Interaction } from 'discord.js';
import { DiscordStandIn, loginClient, shardForGuild, type IdentifyRecord, type StoredGuild } from '../../harness/discord/index.js';

const SHARD_COUNT = 3;
const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];

/** A bot process holding `shardIds` of SHARD_COUNT: one discord.js client, with its own identify throttler. */
class ShardProcess {
	public readonly client: Client;
	public readonly interactions: string[] = [];
	public readonly joinedGuilds: string[] = [];

	public constructor(
		discord: DiscordStandIn,
		public readonly shardIds: number[]
	) {
		this.client = new Client({ intents: INTENTS, shards: shardIds, shardCount: SHARD_COUNT, ...discord.clientOptions() });
		this.client.on(Events.InteractionCreate, (interaction: Interaction) => this.interactions.push(interaction.id));
		this.client.on(Events.GuildCreate, (guild: Guild) => this.joinedGuilds.push(guild.id));
	}

	public holds(guildId: string): boolean {
		return this.shardIds.includes(shardForGuild(guildId, SHARD_COUNT));
	}
}

/** Accepted identifies of one rate-limit key closer together than `windowMs`. */
function tooClose(log: readonly IdentifyRecord[], windowMs: number): IdentifyRecord[] {
	const accepted = log.filter((entry) => entry.outcome === 'accepted');
	return accepted.filter((entry, i) =>
		accepted.slice(0, i).some((earlier) => earlier.rateLimitKey === entry.rateLimitKey && entry.at - earlier.at < windowMs)
	);
}

describe('Discord stand-in: a bot split over several processes, each with some shards', function () {
	this.timeout(45_000);

	let discord: DiscordStandIn;
	let processes: ShardProcess[] = [];
	/** Two guilds per shard of SHARD_COUNT. */
	let guildsByShard: StoredGuild[][];

	const start = async (maxConcurrency: number): Promise<void> => {
		discord = await DiscordStandIn.start({ sessionStartLimit: { maxConcurrency } });
		guildsByShard = [0, 1, 2].map((shard) =>
			[1, 2].map((n) => discord.addGuildOnShard([shard, SHARD_COUNT], { name: `shard ${shard} guild ${n}` }))
		);
	};

	afterEach(async () => {
		await Promise.all(processes.map((p) => p.client.destroy()));
		processes = [];
		await discord?.stop();
	});

	const guildsOn = (shard: number): StoredGuild[] => guildsByShard[shard] ?? [];
	const firstGuildOn = (shard: number): StoredGuild => {
		const [guild] = guildsOn(shard);
		if (!guild) throw new Error(`no guild on shard ${shard}`);
		return guild;
	};
	const slashIn = (guild: StoredGuild): string => discord.runSlashCommand({ guildId: guild.id, memberId: guild.ownerId, name: 'ping' }).id;

	it('GIVEN three processes with one shard each THEN each gets only its guilds and only its guilds’ interactions, DMs go to shard 0', async () => {
		// max_concurrency 3: shards 0, 1 and 2 are three rate-limit keys and may identify together.
		await start(3);
		processes = [[0], [1], [2]].map((ids) => new ShardProcess(discord, ids));
		await Promise.all(processes.map((p) => loginClient(p.client, discord)));

		const sessions = await discord.waitForShards([0, 1, 2], SHARD_COUNT);
		expect(sessions.map((s) => s.shard).sort()).to.deep.equal([
			[0, 3],
			[1, 3],
			[2, 3]
		]);
		for (const [shard, process] of processes.entries()) {
			const expected = guildsOn(shard)
				.map((g) => g.id)
				.sort();
			expect([...process.client.guilds.cache.keys()].sort(), `guilds of the process holding shard ${shard}`).to.deep.equal(expected);
			expect(sessions.find((s) => s.shard[0] === shard)?.guildIds.sort()).to.deep.equal(expected);
		}
		expect(discord.gateway.tooFastIdentifies()).to.deep.equal([]);

		const sent = guildsByShard.flat().map((guild) => ({ guild, interactionId: slashIn(guild) }));
		const dmUser = discord.addUser({ username: 'dm-user' });
		const dm = discord.runSlashCommand({ userId: dmUser.id, name: 'ping' }).id;
		const total = sent.length + 1;
		await discord.waitFor(
			() => (processes.reduce((n, p) => n + p.interactions.length, 0) >= total ? true : undefined),
			`${total} interactions received`
		);
		for (const { guild, interactionId } of sent) {
			const receivers = processes.filter((p) => p.interactions.includes(interactionId));
			expect(
				receivers.map((p) => p.shardIds),
				`processes that got the interaction in guild ${guild.name}`
			).to.deep.equal([[shardForGuild(guild.id, SHARD_COUNT)]]);
			const holder = sessions.find((s) => s.shard[0] === shardForGuild(guild.id, SHARD_COUNT));
			expect(discord.gateway.sessionsThatReceived(interactionId, 'INTERACTION_CREATE')).to.deep.equal([holder?.sessionId]);
		}
		expect(
			processes.filter((p) => p.interactions.includes(dm)).map((p) => p.shardIds),
			'a DM interaction goes to shard 0 only'
		).to.deep.equal([[0]]);

		const onShard1 = firstGuildOn(1);
		if (!onShard1.systemChannelId) throw new Error('the guild has no channel');
		const message = discord.postMessage({ channelId: onShard1.systemChannelId, authorId: onShard1.ownerId, content: 'hello' });
		const shard1Session = sessions.find((s) => s.shard[0] === 1)?.sessionId;
		expect(discord.gateway.sessionsThatReceived(message.id, 'MESSAGE_CREATE'), 'a guild message goes to its shard only').to.deep.equal([
			shard1Session
		]);

		const joined = discord.joinGuild({ name: 'joined later' });
		await discord.waitFor(() => (processes.some((p) => p.joinedGuilds.includes(joined.id)) ? true : undefined), 'guildCreate of the new guild');
		expect(processes.filter((p) => p.joinedGuilds.includes(joined.id)).map((p) => p.shardIds)).to.deep.equal([
			[shardForGuild(joined.id, SHARD_COUNT)]
		]);
	});

	it('GIVEN max_concurrency 1 WHEN one process identifies two shards THEN its throttler spaces them; a second process identifying at once is refused with op 9 and recorded', async () => {
		await start(1);
		const first = new ShardProcess(discord, [0, 1]);
		const second = new ShardProcess(discord, [2]);
		processes = [first, second];

		// One discord.js client: @discordjs/ws's SimpleIdentifyThrottler (one per manager) waits 5 s between its shards.
		await loginClient(first.client, discord, 15_000);
		// A second process with its own throttler knows nothing of the first one's identifies.
		await loginClient(second.client, discord, 15_000);

		const log = discord.gateway.identifyLog;
		const firstShards = log.filter((entry) => entry.shard?.[0] !== 2);
		expect(firstShards.map((entry) => [entry.shard?.[0], entry.outcome])).to.deep.equal([
			[0, 'accepted'],
			[1, 'accepted']
		]);
		const [shard0, shard1] = firstShards.map((entry) => entry.at);
		expect(Number(shard1) - Number(shard0), 'the first process spaced its identifies').to.be.at.least(5_000);

		const refused = discord.gateway.tooFastIdentifies();
		expect(refused.length, 'the second process identified too fast at least once').to.be.at.least(1);
		expect(refused.every((entry) => entry.shard?.[0] === 2 && entry.rateLimitKey === 0 && entry.sessionId === null)).to.equal(true);
		expect(log.filter((entry) => entry.outcome === 'accepted').map((entry) => entry.shard?.[0])).to.deep.equal([0, 1, 2]);
		expect(tooClose(log, 5_000), 'accepted identifies of one key 5 s apart').to.deep.equal([]);
		expect(discord.gateway.shardSessions().map((s) => s.shard[0])).to.deep.equal([0, 1, 2]);

		const inShard2 = slashIn(firstGuildOn(2));
		const inShard1 = slashIn(firstGuildOn(1));
		await discord.waitFor(
			() => (second.interactions.includes(inShard2) && first.interactions.includes(inShard1) ? true : undefined),
			'both interactions'
		);
		expect(first.interactions).to.not.include(inShard2);
		expect(second.interactions).to.not.include(inShard1);
	});
});
