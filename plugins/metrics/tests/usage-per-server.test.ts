import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { PermissionFlagsBits, type APIMessage } from 'discord-api-types/v10';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { recordUsage } from '../../../src/core/metrics/usage.js';
import metricsPlugin from '../plugin.js';
import { joinerHash } from '../lib/usage-day.js';
import { UsageStore } from '../lib/usage-store.js';
import { sqliteUsageFile, UsageStoreConnection } from '../lib/usage-store/usage-store-connection.js';
import { DiscordStandIn } from '../../../tests/harness/discord/index.js';
import { KalturaStandIn } from '../../../tests/harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../../tests/helpers/test-bot.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The PNG's width and height from its IHDR chunk, after checking the signature and the chunk's type. */
function pngSize(png: Buffer): { width: number; height: number } {
	expect(png.subarray(0, 8).equals(PNG_SIGNATURE), 'PNG signature').to.equal(true);
	expect(png.subarray(12, 16).toString('ascii'), 'first chunk').to.equal('IHDR');
	return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * `/stats` and `GET /guilds/:id/stats`: each server's own usage, recorded through the SDK's usage hook, on the real core and
 * plugins against the Discord and Kaltura stand-ins.
 */
describe('metrics plugin: usage per server (/stats and its API route)', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let cats: { id: string };
	const guilds: { id: string; adminId: string }[] = [];

	before(async () => {
		discord = await DiscordStandIn.start();
		for (const name of ['Quiet', 'One day', 'Busy', 'Leaving']) {
			const guild = discord.addGuild({ name });
			const admins = discord.addRole(guild.id, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 1 });
			guilds.push({ id: guild.id, adminId: discord.addMember(guild.id, { user: { username: 'ada' }, roles: [admins.id] }).user!.id });
		}
		kaltura = await KalturaStandIn.start({ partnerId: 4321, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		cats = kaltura.state.addEntry({ name: 'Intro to cats', tags: 'cats', duration: 125 }) as { id: string };
		bot = await startBotOnStandIns({ discord, kaltura });
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	const guildAt = (index: number) => () => guilds[index]!;
	const [quiet, oneDay, busy, leaving] = [guildAt(0), guildAt(1), guildAt(2), guildAt(3)];

	/** Records on the day `daysAgo` before today through a connection of its own to the bot's store, as another process would. */
	const seed = async (guildId: string, daysAgo: number, record: (store: UsageStore) => Promise<void>) => {
		const at = Date.now() - daysAgo * DAY_MS;
		const store = new UsageStore(new UsageStoreConnection(container.env), metricsPlugin.logger, { now: () => at });
		try {
			await record(store);
		} finally {
			await store.close();
		}
	};

	const stats = async (guild: { id: string; adminId: string }, days?: number): Promise<APIMessage> =>
		discord
			.runSlashCommand({ guildId: guild.id, memberId: guild.adminId, name: 'stats', options: days === undefined ? {} : { days } })
			.waitForReply();

	const chartOf = async (message: APIMessage): Promise<Buffer> => {
		const [attachment] = message.attachments;
		expect(attachment?.filename).to.equal('stats.png');
		expect(message.embeds[0]?.image?.url).to.equal('attachment://stats.png');
		return Buffer.from(await (await fetch(attachment!.url)).arrayBuffer());
	};

	const api = (guildId: string, query: string, tokenGuildId = guildId) => {
		const userId = guilds.find((guild) => guild.id === tokenGuildId)!.adminId;
		const token = container.apiTokens.issue({ userId, guildId: tokenGuildId, scope: [GUILD_MANAGE_SCOPE] });
		return fetch(`${bot.apiUrl()}/guilds/${guildId}/stats${query}`, { headers: { authorization: `Bearer ${token}` } });
	};

	it('GIVEN no usage THEN /stats says none was recorded, without a chart', async () => {
		const reply = await stats(quiet(), 30);
		expect(reply.content).to.equal('No usage recorded in the last 30 days.');
		expect(reply.attachments).to.have.length(0);
		expect(reply.flags! & 64, 'ephemeral').to.equal(64);
	});

	it('GIVEN one day of usage recorded through the SDK hook THEN /stats shows its numbers and a chart', async () => {
		const { id } = oneDay();
		recordUsage(id, 'meeting_started', { meetingType: 'meeting' });
		recordUsage(id, 'meeting_started', { meetingType: 'live' });
		recordUsage(id, 'meeting_started', { meetingType: 'meeting' });
		for (const member of ['1', '2', '1']) recordUsage(id, 'meeting_joined', { memberId: member });
		recordUsage(id, 'video_searched');
		recordUsage(id, 'video_shared');
		recordUsage(id, 'video_shared');
		recordUsage(id, 'notification_delivered');
		recordUsage(id, 'notification_failed');
		await metricsPlugin.services().usage.settled();

		const reply = await stats(oneDay());
		const fields = Object.fromEntries(reply.embeds[0]!.fields!.map((field) => [field.name, field.value]));
		expect(fields).to.deep.equal({
			'Meetings started': '3 (live: 1, meeting: 2)',
			Joins: '3 by 2 distinct members',
			'Videos searched': '1',
			'Videos shared': '2',
			Notifications: '1 delivered, 1 failed'
		});
		expect(reply.embeds[0]!.title).to.equal('Usage of this server, last 7 days');
		// The plot is 720 × 260; axes, legend and title add what the fonts make them measure.
		const { width, height } = pngSize(await chartOf(reply));
		expect(width).to.be.within(720, 1000);
		expect(height).to.be.within(260, 600);
	});

	it('GIVEN a member joins THEN only a hash of their id is stored', async () => {
		const { id } = oneDay();
		const file = new Database(sqliteUsageFile(container.env.DATA_DIR), { readonly: true });
		try {
			const joiners = file.prepare<[string], { joiner: string }>('SELECT joiner FROM usage_joiners WHERE guild_id = ?').all(id);
			expect(joiners.map(({ joiner }) => joiner).sort()).to.deep.equal([joinerHash(id, '1'), joinerHash(id, '2')].sort());
			const values = file
				.prepare<[string], Record<string, unknown>>('SELECT * FROM usage_joiners WHERE guild_id = ?')
				.all(id)
				.flatMap(Object.values);
			expect(values).not.to.include('1');
			expect(values).not.to.include('2');
		} finally {
			file.close();
		}
	});

	it('GIVEN a /video search and a Share of its result THEN the videos plugin records both for the server', async () => {
		const guild = busy();
		await bot.guildConfig.set(guild.id, 'plugins.videos.enabled', true);
		const reply = await discord
			.runSlashCommand({ guildId: guild.id, memberId: guild.adminId, name: 'video', subcommand: 'search', options: { query: 'cats' } })
			.waitForReply();
		const press = discord.pressButton({ messageId: reply.id, customId: `videos:share:${cats.id}`, memberId: guild.adminId });
		await press.waitForFollowUp(1, 15_000);
		await metricsPlugin.services().usage.settled();
		const body = (await (await api(guild.id, '?days=7')).json()) as { totals: { videoSearches: number; videoShares: number } };
		expect(body.totals).to.deep.include({ videoSearches: 1, videoShares: 1 });
	});

	it('GIVEN 30 days of usage THEN /stats 30 and the API count every day, and 7 only the last week', async () => {
		const guild = busy();
		for (let daysAgo = 0; daysAgo < 30; daysAgo++) {
			await seed(guild.id, daysAgo, async (store) => {
				for (let search = 0; search < daysAgo + 1; search++) await store.record(guild.id, 'video_searched', {});
				await store.record(guild.id, 'meeting_started', { meetingType: daysAgo % 2 === 0 ? 'meeting' : 'live' });
				await store.record(guild.id, 'meeting_joined', { memberId: String(1000 + (daysAgo % 10)) });
				if (daysAgo % 5 === 0) await store.record(guild.id, 'notification_failed', {});
				if (daysAgo % 3 === 0) for (let share = 0; share < 2; share++) await store.record(guild.id, 'video_shared', {});
			});
		}
		// 1 + 2 + ... + 30 searches, plus the /video search of the test before.
		const searches = (30 * 31) / 2 + 1;
		// Two on every third day (0, 3, ..., 27 days ago), plus the Share of the test before.
		const shares = 10 * 2 + 1;

		const reply = await stats(guild, 30);
		const fields = Object.fromEntries(reply.embeds[0]!.fields!.map((field) => [field.name, field.value]));
		expect(fields['Videos searched']).to.equal(String(searches));
		expect(fields['Videos shared']).to.equal(String(shares));
		expect(fields['Meetings started']).to.equal('30 (live: 15, meeting: 15)');
		expect(fields.Joins).to.equal('30 by 10 distinct members');
		expect(fields.Notifications).to.equal('0 delivered, 6 failed');
		const chart = await chartOf(reply);
		expect(pngSize(chart).width).to.be.within(720, 1000);
		writeFileSync('/tmp/notes/stats-30d.png', chart);

		const month = await api(guild.id, '?days=30');
		expect(month.status).to.equal(200);
		const body = (await month.json()) as {
			days: number;
			series: { day: string; videoSearches: number; videoShares: number }[];
			totals: Record<string, unknown>;
		};
		expect(body.days).to.equal(30);
		expect(body.series).to.have.length(30);
		expect(body.series.at(-1)!.day).to.equal(new Date().toISOString().slice(0, 10));
		expect(body.series.map((day) => day.videoSearches)).to.deep.equal(
			Array.from({ length: 30 }, (_, index) => 30 - index + (index === 29 ? 1 : 0))
		);
		expect(body.series.map((day) => day.videoShares)).to.deep.equal(
			Array.from({ length: 30 }, (_, index) => ((29 - index) % 3 === 0 ? 2 : 0) + (index === 29 ? 1 : 0))
		);
		expect(body.totals).to.deep.include({ videoSearches: searches, videoShares: shares, joins: 30, distinctJoiners: 10, notificationsFailed: 6 });

		const week = (await (await api(guild.id, '')).json()) as { days: number; totals: { videoSearches: number; videoShares: number } };
		expect(week.days).to.equal(7);
		expect(week.totals.videoSearches).to.equal(1 + 2 + 3 + 4 + 5 + 6 + 7 + 1);
		// 0, 3 and 6 days ago, plus the Share.
		expect(week.totals.videoShares).to.equal(3 * 2 + 1);

		const png = await api(guild.id, '?days=30&format=png');
		expect(png.headers.get('content-type')).to.equal('image/png');
		expect(pngSize(Buffer.from(await png.arrayBuffer())).width).to.be.within(720, 1000);
	});

	it('GIVEN a bad period or another guild’s token THEN the API refuses', async () => {
		const wrongDays = await api(busy().id, '?days=14');
		expect(wrongDays.status).to.equal(400);
		expect(((await wrongDays.json()) as { error: { message: string } }).error.message).to.equal('days must be 7 or 30, not 14.');
		const otherGuild = await api(busy().id, '?days=7', quiet().id);
		expect(otherGuild.status).to.equal(403);
		expect(JSON.stringify(await otherGuild.json())).not.to.include('videoSearches');
	});

	it('GIVEN the server removes the bot THEN its usage is deleted', async () => {
		const guild = leaving();
		await seed(guild.id, 12, (store) => store.record(guild.id, 'video_searched', {}));
		recordUsage(guild.id, 'video_searched');
		await metricsPlugin.services().usage.settled();
		expect((await metricsPlugin.services().usage.days(guild.id, 30)).filter(({ usage }) => usage.videoSearches > 0)).to.have.length(2);

		discord.leaveGuild(guild.id);
		const deadline = Date.now() + 5000;
		let left = 2;
		while (left > 0 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 20));
			left = (await metricsPlugin.services().usage.days(guild.id, 30)).filter(({ usage }) => usage.videoSearches > 0).length;
		}
		expect(left).to.equal(0);
		// Another server's usage stays.
		expect((await metricsPlugin.services().usage.days(busy().id, 30)).some(({ usage }) => usage.videoSearches > 0)).to.equal(true);
	});
});
