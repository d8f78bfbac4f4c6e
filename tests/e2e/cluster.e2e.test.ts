import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { ConnectionString } from 'mongodb-connection-string-url';
import { GUILD_MANAGE_SCOPE, ApiTokenService } from '../../src/core/auth/api-tokens.js';
import { clusterKeyPrefix } from '../../src/core/cluster/cluster-keys.js';
import { BotProcess, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn, type InteractionHandle } from '../harness/discord/index.js';
import { KalturaStandIn } from '../harness/kaltura/index.js';
import { requireRedisOrSkip } from '../integration/storage/redis-availability.js';
import { waitUntil } from '../helpers/wait-until.js';

const SHARDS = 3;
const JWT_SECRET = 'e2e-jwt-secret-that-is-long-enough-for-hs256';
const ADMIN_SECRET = 'e2e-admin-secret-for-the-cluster';
const PARTNER_ID = 7171;

interface OutboxRow {
	event_key: string;
	channel_id: string;
	status: string;
	message_id: string | null;
}

/** Where the processes keep their documents: SQLite files in one data directory they share, or one MongoDB (a database of the run's own). */
type DocumentStore = { readonly kind: 'SQLite' } | { readonly kind: 'MongoDB'; readonly url: string };

const MONGODB_URL = process.env.TEST_MONGODB_URL;
clusterSuite({ kind: 'SQLite' });
if (MONGODB_URL === undefined)
	describe.skip('End to end: three processes over three shards on MongoDB (TEST_MONGODB_URL is not set)', () => undefined);
else {
	const url = new ConnectionString(MONGODB_URL);
	url.pathname = `/kaltura_cluster_${Date.now().toString(36)}`;
	clusterSuite({ kind: 'MongoDB', url: url.toString() });
}

/**
 * Three bot processes, each running one shard of three, as `npm start` runs them: one Redis, the documents in one
 * store (SQLite files on this machine, shared by the processes, or MongoDB), and the Discord stand-in holding each
 * process to its shards' guilds.
 */
function clusterSuite(documents: DocumentStore): void {
	describe(`End to end: three processes over three shards (${documents.kind})`, function () {
		this.timeout(180_000);

		let discord: DiscordStandIn;
		let kaltura: KalturaStandIn;
		let redisUrl: string;
		let dataDirectory: string;
		const bots: BotProcess[] = [];
		/** Per shard: its guilds, each with an owner and a channel. */
		const guilds: { id: string; ownerId: string; channelId: string; shard: number }[] = [];
		const tokens = new ApiTokenService(JWT_SECRET);

		const environmentOf = (shard: number): Record<string, string> => ({
			...standInEnvironment({ discord, kaltura }),
			// With MongoDB each process has a directory of its own, as on machines of their own: nothing may rely on shared files.
			DATA_DIR:
				documents.kind === 'SQLite'
					? dataDirectory
					: (mkdirSync(join(dataDirectory, `process-${shard}`), { recursive: true }) ?? join(dataDirectory, `process-${shard}`)),
			...(documents.kind === 'MongoDB' ? { MONGODB_URL: documents.url } : {}),
			REDIS_URL: redisUrl,
			SHARD_COUNT: String(SHARDS),
			SHARD_IDS: String(shard),
			JWT_SECRET,
			NODE_ENV: 'production',
			LOG_LEVEL: 'info'
		});
		const startShard = (shard: number) => BotProcess.start({ env: environmentOf(shard), readyTimeoutMs: 90_000 });
		const slash = (guild: (typeof guilds)[number], name: string, subcommand?: string, options: Record<string, string> = {}): InteractionHandle =>
			discord.runSlashCommand({
				guildId: guild.id,
				memberId: guild.ownerId,
				name,
				...(subcommand === undefined ? {} : { subcommand }),
				options
			});
		const outbox = async (): Promise<OutboxRow[]> => {
			if (documents.kind === 'MongoDB') {
				const client = await MongoClient.connect(documents.url);
				try {
					const rows = await client.db().collection('notifications_outbox').find().sort({ _id: 1 }).toArray();
					return rows.map((row) => ({
						event_key: String(row.event_key),
						channel_id: String(row.channel_id),
						status: String(row.status),
						message_id: row.message_id as string | null
					}));
				} finally {
					await client.close();
				}
			}
			const db = new Database(join(dataDirectory, 'notifications.sqlite'), { readonly: true });
			try {
				return db.prepare('SELECT event_key, channel_id, status, message_id FROM outbox ORDER BY id').all() as OutboxRow[];
			} finally {
				db.close();
			}
		};
		const api = (bot: BotProcess, guild: (typeof guilds)[number], path: string, init: RequestInit = {}) =>
			fetch(`${bot.apiUrl}/guilds/${guild.id}${path}`, {
				...init,
				headers: {
					authorization: `Bearer ${tokens.issue({ userId: guild.ownerId, guildId: guild.id, scope: [GUILD_MANAGE_SCOPE] })}`,
					'content-type': 'application/json'
				}
			});

		before(async function () {
			// A database of its own, emptied before and after: the processes' config, tokens and leases only.
			const base = await requireRedisOrSkip(this);
			redisUrl = `${base.replace(/\/\d*$/, '')}/9`;
			const redis = createClient({ url: redisUrl });
			await redis.connect();
			await redis.flushDb();
			await redis.close();

			// Discord's own identify limit: one session start per 5 s for the whole application, whichever process sends it.
			discord = await DiscordStandIn.start({ sessionStartLimit: { maxConcurrency: 1 }, waitTimeoutMs: 20_000 });
			for (let shard = 0; shard < SHARDS; shard++) {
				for (const name of ['one', 'two']) {
					const guild = discord.addGuildOnShard([shard, SHARDS], { name: `Shard ${shard} ${name}` });
					guilds.push({ id: guild.id, ownerId: guild.ownerId, channelId: discord.addChannel(guild.id, { name: 'news' }).id, shard });
				}
			}
			kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET, notifications: { autoDispatch: false } });
			dataDirectory = mkdtempSync(join(tmpdir(), 'kaltura-discord-cluster-'));
			bots.push(...(await Promise.all([0, 1, 2].map(startShard))));
			await discord.waitForShards([0, 1, 2], SHARDS);
		});

		after(async () => {
			for (const bot of bots) expect(await bot.stop(), 'exit code after SIGTERM').to.equal(0);
			await discord?.stop();
			await kaltura?.stop();
			if (dataDirectory !== undefined) rmSync(dataDirectory, { recursive: true, force: true });
			if (documents.kind === 'MongoDB') {
				const client = await MongoClient.connect(documents.url);
				await client.db().dropDatabase();
				await client.close();
			}
			if (redisUrl !== undefined) {
				const redis = createClient({ url: redisUrl });
				await redis.connect();
				await redis.flushDb();
				await redis.close();
			}
		});

		it('GIVEN three processes starting at once THEN Discord saw one identify per 5 s, none refused, and the commands published once', () => {
			const identifies = discord.gateway.sessionStarts.log;
			expect(
				identifies.filter((entry) => entry.outcome === 'refused'),
				'refused identifies'
			).to.deep.equal([]);
			const accepted = identifies.filter((entry) => entry.outcome === 'accepted').map((entry) => entry.at);
			expect(accepted).to.have.lengthOf(SHARDS);
			const gaps = accepted.slice(1).map((at, index) => at - (accepted[index] ?? at));
			expect(Math.min(...gaps), `gaps between identifies: ${gaps.join(', ')} ms`).to.be.at.least(5_000);
			const publications = discord.requests.filter(
				(request) => request.method === 'PUT' && request.route === '/applications/:application_id/commands'
			);
			expect(publications, 'one bulk overwrite, by the process running shard 0').to.have.lengthOf(1);
		});

		it("GIVEN a command in each guild THEN exactly one process, the one running the guild's shard, gets and answers it", async () => {
			for (const guild of guilds) {
				const handle = slash(guild, 'about');
				const reply = await handle.waitForReply(15_000);
				expect(reply.content + JSON.stringify(reply.embeds ?? [])).to.match(/kaltura/i);
				const sessions = discord.gateway.sessionsThatReceived(handle.id, 'INTERACTION_CREATE');
				expect(sessions, `guild on shard ${guild.shard}`).to.have.lengthOf(1);
				const holder = discord.gateway.shardSessions().find((session) => session.sessionId === sessions[0]);
				expect(holder?.shard).to.deep.equal([guild.shard, SHARDS]);
			}
		});

		it('GIVEN a plugin turned on through one process THEN the process running that guild has it on within a second', async () => {
			const guild = guilds.find((candidate) => candidate.shard === 2);
			const [through, running] = [bots[0], bots[2]];
			if (guild === undefined || through === undefined || running === undefined) throw new Error('no guild on shard 2');
			const switched = await api(through, guild, '/plugins/notifications', { method: 'PUT', body: JSON.stringify({ enabled: true }) });
			expect(switched.status, await switched.clone().text()).to.equal(200);
			const started = Date.now();
			await waitUntil(async () => {
				const response = await api(running, guild, '/plugins');
				const body = (await response.json()) as { plugins: { name: string; enabled: boolean }[] };
				return body.plugins.find((plugin) => plugin.name === 'notifications')?.enabled === true;
			}, 'the plugin on, seen through the process running the guild');
			expect(Date.now() - started).to.be.below(1_000);
			const subscribed = await slash(guild, 'notifications', 'subscribe', { channel: guild.channelId, events: 'entry.ready' }).waitForReply();
			expect(subscribed.content).to.include(`<#${guild.channelId}> now gets`);
		});

		it('GIVEN webhooks sent round-robin to the three processes THEN each event is posted once in each subscribed channel', async () => {
			for (const guild of guilds.filter((candidate) => candidate.shard !== 2)) {
				expect((await slash(guild, 'plugins', 'enable', { plugin: 'notifications' }).waitForReply()).content).to.include('now on');
				const reply = await slash(guild, 'notifications', 'subscribe', { channel: guild.channelId, events: 'entry.ready' }).waitForReply();
				expect(reply.content).to.include('now gets');
			}
			const subscribed = guilds.filter((guild) => guild.shard !== 2 || guild === guilds.find((candidate) => candidate.shard === 2));
			const entries = Array.from({ length: 6 }, (_, index) => kaltura.state.addEntry({ name: `Round robin ${index}` }));
			for (const [index, entry] of entries.entries()) {
				const bot = bots[index % SHARDS];
				if (bot === undefined) throw new Error('no bot');
				const sent = await kaltura.notifications.sendEvent({
					url: `${bot.apiUrl}/webhooks/kaltura`,
					event: 'entryReady',
					object: String(entry.id)
				});
				expect(sent.statuses).to.deep.equal([200]);
			}
			await waitUntil(
				() => subscribed.every((guild) => discord.channelMessages(guild.channelId).length >= entries.length),
				'every event in every subscribed channel'
			);
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			for (const guild of subscribed) {
				const titles = discord.channelMessages(guild.channelId).map((message) => message.embeds[0]?.title);
				expect(titles.sort()).to.deep.equal(entries.map((entry) => `New video ready: ${entry.name}`).sort());
			}
			const rows = await outbox();
			expect(rows.every((row) => row.status === 'delivered')).to.equal(true);
			expect(new Set(rows.map((row) => `${row.event_key}:${row.channel_id}`)).size).to.equal(rows.length);
		});

		it('GIVEN a process killed mid fan-out and restarted THEN its shard comes back and every post is made exactly once', async () => {
			const subscribed = guilds.filter((guild) => discord.channelMessages(guild.channelId).length > 0);
			const before = new Map(subscribed.map((guild) => [guild.channelId, discord.channelMessages(guild.channelId).length]));
			const entries = Array.from({ length: 8 }, (_, index) => kaltura.state.addEntry({ name: `Mid fan-out ${index}` }));
			const victim = bots[1];
			if (victim === undefined) throw new Error('no bot');
			for (const entry of entries) {
				const sent = await kaltura.notifications.sendEvent({
					url: `${victim.apiUrl}/webhooks/kaltura`,
					event: 'entryReady',
					object: String(entry.id)
				});
				expect(sent.statuses).to.deep.equal([200]);
			}
			// Discord's limit of 5 posts per channel every 5 s keeps the fan-out (8 events to each channel) under way for seconds.
			const posted = () =>
				subscribed.flatMap((guild) => discord.channelMessages(guild.channelId)).filter((m) => m.embeds[0]?.title?.includes('Mid fan-out'))
					.length;
			await waitUntil(() => posted() > 0, 'a first post of the fan-out');
			process.kill(victim.nodePid, 'SIGKILL');
			expect(posted(), 'posts made when the process died').to.be.below(subscribed.length * entries.length);
			await victim.exitCode;
			bots[1] = await startShard(1);
			await discord.waitForShards([1], SHARDS);
			await waitUntil(
				() =>
					subscribed.every(
						(guild) => discord.channelMessages(guild.channelId).length >= (before.get(guild.channelId) ?? 0) + entries.length
					),
				'every post of the fan-out',
				60_000
			);
			await new Promise((resolve) => setTimeout(resolve, 1_500));
			for (const guild of subscribed) {
				const titles = discord
					.channelMessages(guild.channelId)
					.map((message) => message.embeds[0]?.title ?? '')
					.filter((title) => title.includes('Mid fan-out'));
				expect(titles.sort(), `#news of ${guild.id}`).to.deep.equal(entries.map((entry) => `New video ready: ${entry.name}`).sort());
			}
			const guildOnShard1 = guilds.find((guild) => guild.shard === 1);
			if (guildOnShard1 === undefined) throw new Error('no guild on shard 1');
			const handle = slash(guildOnShard1, 'about');
			await handle.waitForReply(15_000);
			// The killed process's session lingers on Discord's side, disconnected, keeping events for a resume that never comes.
			const live = discord.gateway.deliveries.recipientsOf(handle.id, 'INTERACTION_CREATE').filter((delivery) => delivery.connected);
			expect(live, 'one connected process gets shard 1 again').to.have.lengthOf(1);
		});

		it('GIVEN a fourth process started for a shard a live process runs THEN it waits out one lease, then refuses to start', async () => {
			const error = await BotProcess.start({ env: environmentOf(2), readyTimeoutMs: 60_000 }).then(
				() => undefined,
				(failure: unknown) => failure as Error
			);
			expect(error?.message).to.include('shard 2 of 3 is run by another process');
			expect(discord.gateway.shardSessions().filter((session) => session.shard[0] === 2)).to.have.lengthOf(1);
		});

		it('GIVEN a process whose shard lease another takes over THEN it stops with an error rather than run the shard beside it', async () => {
			const holder = bots[0];
			if (holder === undefined) throw new Error('no bot');
			const redis = createClient({ url: redisUrl });
			await redis.connect();
			// As if the process had been frozen past its lease and another had taken the shard meanwhile.
			const key = `${clusterKeyPrefix(discord.token)}shard:${SHARDS}:0`;
			await redis.set(key, 'elsewhere:1:ffff', { expiration: { type: 'PX', value: 60_000 } });
			await redis.close();
			expect(await holder.exitCode, 'exit code').to.equal(1);
			expect(holder.output()).to.include('Shard 0 of 3 is no longer held by this process');
			bots.splice(0, 1);
		});
	});
}
