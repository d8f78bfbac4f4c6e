import { expect } from 'chai';
import { Client, GatewayIntentBits } from 'discord.js';
import type { RESTGetAPIGatewayBotResult } from 'discord-api-types/v10';
import { DiscordStandIn, loginClient, type DiscordStandInOptions } from '../../harness/discord/index.js';
import { RawGateway } from './raw-gateway.js';

const READY_SESSION = (frame: { d: unknown }): string => (frame.d as { session_id: string }).session_id;

describe('Discord stand-in: identify limits, GET /gateway/bot and sessions per shard', function () {
	this.timeout(20_000);

	let discord: DiscordStandIn;
	let sockets: RawGateway[] = [];
	let client: Client | undefined;

	const start = async (options: DiscordStandInOptions = {}): Promise<DiscordStandIn> => {
		discord = await DiscordStandIn.start(options);
		return discord;
	};
	const open = async (url = discord.gatewayUrl): Promise<RawGateway> => {
		const socket = await RawGateway.open(url);
		sockets.push(socket);
		return socket;
	};
	const gatewayBot = async (): Promise<RESTGetAPIGatewayBotResult> => {
		const response = await fetch(`${discord.restUrl}/v10/gateway/bot`, { headers: { Authorization: `Bot ${discord.token}` } });
		expect(response.status).to.equal(200);
		return (await response.json()) as RESTGetAPIGatewayBotResult;
	};

	afterEach(async () => {
		await client?.destroy();
		client = undefined;
		await Promise.all(sockets.filter((s) => s.open).map((s) => s.cut()));
		sockets = [];
		await discord?.stop();
	});

	it('GIVEN 1001 guilds THEN /gateway/bot recommends 2 shards and reports the session start limit, which only accepted identifies use', async () => {
		await start({ sessionStartLimit: { total: 50, maxConcurrency: 2 } });
		expect((await gatewayBot()).shards, 'no guild: one shard').to.equal(1);
		for (let i = 0; i < 1001; i += 1) discord.addGuild({ name: `guild ${i}`, createGeneralChannel: false });

		const before = await gatewayBot();
		expect(before.shards).to.equal(2);
		expect(before.url).to.equal(discord.gatewayUrl);
		expect(before.session_start_limit).to.include({ total: 50, remaining: 50, max_concurrency: 2 });
		expect(before.session_start_limit.reset_after).to.be.within(86_000_000, 86_400_000);

		const shard0 = await open();
		shard0.identify(discord.token, [0, 2]);
		await shard0.dispatch('READY');
		// Same rate-limit key (2 % 2 = 0) within 5 s: refused, and no session start is used.
		const again = await open();
		again.identify(discord.token, [0, 2]);
		await again.next((frame) => frame.op === 9);
		expect((await gatewayBot()).session_start_limit.remaining).to.equal(49);

		const recommended = await DiscordStandIn.start({ recommendedShards: 7 });
		try {
			const response = await fetch(`${recommended.restUrl}/v10/gateway/bot`, { headers: { Authorization: `Bot ${recommended.token}` } });
			expect(((await response.json()) as RESTGetAPIGatewayBotResult).shards).to.equal(7);
		} finally {
			await recommended.stop();
		}
	});

	it('GIVEN a client on shard 0 WHEN a raw socket identifies shard 1 at once THEN it gets op 9 d:false, stays open, and the refusal is recorded', async () => {
		await start({ sessionStartLimit: { maxConcurrency: 1 } });
		const onShard1 = discord.addGuildOnShard([1, 2], { name: 'shard 1' });
		client = new Client({ intents: [GatewayIntentBits.Guilds], shards: [0], shardCount: 2, ...discord.clientOptions() });
		await loginClient(client, discord);
		expect(() => discord.runSlashCommand({ guildId: onShard1.id, memberId: onShard1.ownerId, name: 'ping' }), 'nobody holds shard 1').to.throw(
			/no gateway session would receive this interaction/
		);

		const raw = await open();
		raw.identify(discord.token, [1, 2]);
		const invalid = await raw.next((frame) => frame.op === 9);
		expect(invalid.d).to.equal(false);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(raw.open, 'op 9 leaves closing to the client').to.equal(true);
		expect(raw.frames.some((frame) => frame.t === 'READY')).to.equal(false);

		const refused = discord.gateway.tooFastIdentifies();
		expect(refused).to.have.length(1);
		expect(refused[0]).to.deep.include({ shard: [1, 2], rateLimitKey: 0, outcome: 'refused', sessionId: null, reason: 'max-concurrency' });
		expect(discord.gateway.identifyLog.map((entry) => entry.outcome)).to.deep.equal(['accepted', 'refused']);
		expect(discord.gateway.shardSessions().map((s) => s.shard)).to.deep.equal([[0, 2]]);

		// With max_concurrency 2, shard 1 is rate-limit key 1, free: a new connection may identify it now.
		discord.gateway.sessionStarts.maxConcurrency = 2;
		const retry = await open();
		retry.identify(discord.token, [1, 2]);
		expect((await retry.dispatch('READY')).d).to.deep.include({ shard: [1, 2], guilds: [{ id: onShard1.id, unavailable: true }] });
	});

	it('GIVEN a bad shard pair THEN the stand-in closes with 4010 and records it; a shard over the guild maximum gets 4011', async () => {
		await start({ maxGuildsPerShard: 1 });
		for (const shard of [
			[3, 3],
			[-1, 2],
			[0, 0],
			[0, 1, 2]
		]) {
			const socket = await open();
			socket.identify(discord.token, shard);
			expect(await socket.closed(), `shard ${JSON.stringify(shard)}`).to.equal(4010);
		}
		discord.addGuildOnShard([0, 2], { name: 'a' });
		discord.addGuildOnShard([0, 2], { name: 'b' });
		const crowded = await open();
		crowded.identify(discord.token, [0, 2]);
		expect(await crowded.closed()).to.equal(4011);
		expect(discord.gateway.identifyLog.map((entry) => [entry.reason, entry.closeCode])).to.deep.equal([
			['invalid-shard', 4010],
			['invalid-shard', 4010],
			['invalid-shard', 4010],
			['invalid-shard', 4010],
			['sharding-required', 4011]
		]);
	});

	describe('raw sessions that space their identifies by a short window themselves', () => {
		const WINDOW_MS = 50;
		const spaced = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 20));

		it('GIVEN two sessions on the same shard pair THEN both get the guild’s events, as Discord allows for a hand-off', async () => {
			await start({ identifyWindowMs: WINDOW_MS });
			const guild = discord.addGuild({ name: 'shared' });
			const first = await open();
			first.identify(discord.token, [0, 1]);
			const firstId = READY_SESSION(await first.dispatch('READY'));
			await spaced();
			const second = await open();
			second.identify(discord.token, [0, 1]);
			const secondId = READY_SESSION(await second.dispatch('READY'));

			const interaction = discord.runSlashCommand({ guildId: guild.id, memberId: guild.ownerId, name: 'ping' });
			await first.dispatch('INTERACTION_CREATE');
			await second.dispatch('INTERACTION_CREATE');
			expect(discord.gateway.sessionsThatReceived(interaction.id, 'INTERACTION_CREATE')).to.deep.equal([firstId, secondId]);
			expect(discord.gateway.shardSessions().map((s) => [s.sessionId, s.shard])).to.deep.equal([
				[firstId, [0, 1]],
				[secondId, [0, 1]]
			]);
		});

		it('GIVEN a dropped connection THEN the session resumes on a new one with its shard; once ended, a new identify for the shard is accepted', async () => {
			await start({ identifyWindowMs: WINDOW_MS });
			const guild = discord.addGuildOnShard([1, 2], { name: 'on shard 1' });
			const first = await open();
			first.identify(discord.token, [1, 2]);
			const ready = (await first.dispatch('READY')).d as { session_id: string; resume_gateway_url: string };
			await first.dispatch('GUILD_CREATE');
			const lastSeq = Math.max(...first.frames.map((frame) => frame.s ?? 0));
			await first.cut();
			await discord.waitFor(
				() => (discord.gateway.shardSessions()[0]?.connected === false ? true : undefined),
				'the stand-in noticing the drop'
			);

			const missed = discord.runSlashCommand({ guildId: guild.id, memberId: guild.ownerId, name: 'ping' });
			const handed = discord.gateway.deliveries.recipientsOf(missed.id, 'INTERACTION_CREATE');
			expect(
				handed.map((entry) => [entry.sessionId, entry.shard, entry.connected]),
				'kept for the resume'
			).to.deep.equal([[ready.session_id, [1, 2], false]]);

			const resumed = await open(ready.resume_gateway_url);
			resumed.send(6, { token: discord.token, session_id: ready.session_id, seq: lastSeq });
			await resumed.dispatch('RESUMED');
			const replayed = resumed.frames.find((frame) => frame.t === 'INTERACTION_CREATE');
			expect((replayed?.d as { id: string } | undefined)?.id).to.equal(missed.id);
			const [session] = discord.gateway.shardSessions();
			expect(session).to.deep.include({ sessionId: ready.session_id, shard: [1, 2], connected: true, resumes: 1, guildIds: [guild.id] });

			await resumed.close(1000);
			expect(discord.gateway.shardSessions(), 'a 1000 close ends the session').to.deep.equal([]);
			await spaced();
			const fresh = await open();
			fresh.identify(discord.token, [1, 2]);
			const freshId = READY_SESSION(await fresh.dispatch('READY'));
			expect(freshId).to.not.equal(ready.session_id);
			expect(discord.gateway.identifyLog.map((entry) => entry.outcome)).to.deep.equal(['accepted', 'accepted']);
		});
	});
});
