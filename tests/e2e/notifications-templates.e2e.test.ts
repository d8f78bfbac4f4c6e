import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import { ApiTokenService, GUILD_MANAGE_SCOPE } from '../../src/core/auth/api-tokens.js';
import { BotProcess, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn } from '../harness/discord/index.js';
import { KalturaStandIn } from '../harness/kaltura/index.js';
import { waitUntil } from '../helpers/wait-until.js';

const ADMIN_SECRET = 'e2e-admin-secret-for-notification-templates';
const JWT_SECRET = 'e2e-jwt-secret-that-is-long-enough-for-hs256';
const PARTNER_ID = 6262;

interface Delivery {
	id: number;
	eventType: string | null;
	channelId: string;
	status: string;
	attempts: number;
	lastError: string | null;
	createdAt: string;
	updatedAt: string;
}

/** Templates, `/notifications test`, `/notifications status` and the deliveries route, against the stand-ins. */
describe('End to end: notification templates, test posts and delivery status', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: BotProcess;
	let dataDirectory: string;
	let url: string;
	let guildId: string;
	let ownerId: string;
	let otherGuildId: string;
	let news: string;
	let locked: string;

	const slash = (subcommand: string, options: Record<string, string> = {}, subcommandGroup?: string) =>
		discord.runSlashCommand({ guildId, memberId: ownerId, name: 'notifications', subcommand, subcommandGroup, options }).waitForReply();
	const lastTitle = (channelId: string) => discord.channelMessages(channelId).at(-1)?.embeds[0]?.title;
	const api = (path: string, guild = guildId) =>
		fetch(`${bot.apiUrl}/guilds/${guildId}/notifications/deliveries${path}`, {
			headers: {
				authorization: `Bearer ${new ApiTokenService(JWT_SECRET).issue({ userId: ownerId, guildId: guild, scope: [GUILD_MANAGE_SCOPE] })}`
			}
		});

	/** Sends an entryReady for a new entry and waits for the post in #news; returns the post's embed. */
	async function post(name: string) {
		const entry = kaltura.state.addEntry({ name, description: `About ${name}` });
		const before = discord.channelMessages(news).length;
		expect((await kaltura.notifications.sendEvent({ url, event: 'entryReady', object: String(entry.id) })).statuses).to.deep.equal([200]);
		await waitUntil(() => discord.channelMessages(news).length > before, `the post of ${name}`);
		return discord.channelMessages(news).at(-1)!.embeds[0]!;
	}

	before(async () => {
		discord = await DiscordStandIn.start({ waitTimeoutMs: 10_000 });
		const guild = discord.addGuild({ name: 'Templated' });
		guildId = guild.id;
		ownerId = guild.ownerId;
		otherGuildId = discord.addGuild({ name: 'Other' }).id;
		news = discord.addChannel(guildId, { name: 'news' }).id;
		locked = discord.addChannel(guildId, {
			name: 'locked',
			permissionOverwrites: [{ id: discord.botUser.id, type: OverwriteType.Member, allow: '0', deny: String(PermissionFlagsBits.SendMessages) }]
		}).id;
		kaltura = await KalturaStandIn.start({
			partnerId: PARTNER_ID,
			adminSecret: ADMIN_SECRET,
			notifications: { attempts: 3, retryIntervalMs: 50, autoDispatch: false }
		});
		dataDirectory = mkdtempSync(join(tmpdir(), 'kaltura-discord-notification-templates-'));
		bot = await BotProcess.start({
			env: { DATA_DIR: dataDirectory, ...standInEnvironment({ discord, kaltura }), JWT_SECRET, NODE_ENV: 'production' }
		});
		url = `${bot.apiUrl}/webhooks/kaltura`;
		expect(
			(
				await discord
					.runSlashCommand({ guildId, memberId: ownerId, name: 'plugins', subcommand: 'enable', options: { plugin: 'notifications' } })
					.waitForReply()
			).content
		).to.include('now on');
		expect((await slash('subscribe', { channel: news, events: 'entry.ready' })).content).to.include(`<#${news}> now gets`);
	});

	after(async () => {
		if (bot) expect(await bot.stop(), 'exit code after SIGTERM').to.equal(0);
		await discord?.stop();
		await kaltura?.stop();
		rmSync(dataDirectory, { recursive: true, force: true });
	});

	it('GIVEN a template with an unknown placeholder THEN it is refused with the known ones and the default stays', async () => {
		const reply = await slash('set', { event: 'entry.ready', title: '{title} by {author}' }, 'template');
		expect(reply.content).to.match(
			/^Nothing was changed: `\{author\}` is not a placeholder\. Known placeholders: \{title\}, \{description\}, \{url\}/
		);
		expect(await post('Still default')).to.include({ title: 'New video ready: Still default', description: 'About Still default' });
	});

	it('GIVEN a guild template THEN posts use it, with values the event lacks left empty', async () => {
		const reply = await slash(
			'set',
			{ event: 'entry.ready', title: '🎬 {title} is out{mention}', description: '{description} — {type}' },
			'template'
		);
		expect(reply.content).to.equal('Posts of `entry.ready` now use: title “🎬 {title} is out{mention}”, description “{description} — {type}”.');
		expect(await post('Launch')).to.include({ title: '🎬 Launch is out', description: 'About Launch — entry.ready' });
	});

	it('GIVEN the template reset THEN posts use the default again', async () => {
		expect((await slash('reset', { event: 'entry.ready' }, 'template')).content).to.equal(
			'Posts of `entry.ready` use the default template again: title “New video ready: {title}”, description “{description}”.'
		);
		expect(await post('Back to normal')).to.include({ title: 'New video ready: Back to normal' });
	});

	it('GIVEN /notifications test THEN a sample is posted with the guild template, or the refusal is explained', async () => {
		await slash('set', { event: 'live_stream.started', title: 'LIVE: {title} ({duration})' }, 'template');
		expect((await slash('test', { channel: news, event: 'live_stream.started' })).content).to.equal(
			`A sample \`live_stream.started\` post was sent to <#${news}>.`
		);
		expect(lastTitle(news)).to.equal('LIVE: Sample live stream (2:05)');
		const refused = await slash('test', { channel: locked, event: 'entry.ready' });
		expect(refused.content).to.match(
			new RegExp(`^The sample was not posted in <#${locked}>: the bot may not post there \\(Missing Permissions\\)`)
		);
		expect(discord.channelMessages(locked)).to.deep.equal([]);
	});

	it('GIVEN a delivered and a failed delivery THEN /notifications status and the deliveries route show both, for this guild only', async () => {
		expect((await slash('subscribe', { channel: locked, events: 'entry.ready' })).content).to.include(`<#${locked}> now gets`);
		await post('Refused somewhere');
		let deliveries: Delivery[] = [];
		const deadline = Date.now() + 10_000;
		while (!deliveries.some((row) => row.channelId === locked && row.status === 'failed')) {
			if (Date.now() > deadline) throw new Error(`no failed row: ${JSON.stringify(deliveries)}`);
			await new Promise((done) => setTimeout(done, 50));
			const response = await api('');
			expect(response.status).to.equal(200);
			deliveries = ((await response.json()) as { deliveries: Delivery[] }).deliveries;
		}
		const failedRow = deliveries.find((row) => row.channelId === locked)!;
		expect(failedRow).to.include({ eventType: 'entry.ready', status: 'failed', attempts: 1 });
		expect(failedRow.lastError).to.match(/^403 Missing Permissions/);
		expect(deliveries.filter((row) => row.channelId === news).map((row) => row.status)).to.include('delivered');
		expect(Object.keys(failedRow).sort()).to.deep.equal([
			'attempts',
			'channelId',
			'createdAt',
			'eventKey',
			'eventType',
			'id',
			'lastError',
			'status',
			'updatedAt'
		]);
		expect(deliveries.map((row) => row.id)).to.deep.equal([...deliveries.map((row) => row.id)].sort((a, b) => b - a));

		const one = (await (await api('?limit=1')).json()) as { deliveries: Delivery[] };
		expect(one.deliveries).to.have.length(1);
		expect((await api('?limit=0')).status).to.equal(400);
		expect((await api('?limit=101')).status).to.equal(400);
		expect((await api('', otherGuildId)).status).to.equal(403);

		const status = await slash('status');
		const embed = status.embeds?.[0];
		expect(embed?.description).to.match(/^delivered: \*\*4\*\* · pending: \*\*0\*\* · sending: \*\*0\*\* · failed: \*\*1\*\* · dead: \*\*0\*\*$/);
		expect(embed?.fields?.[0]?.name).to.equal('Latest failures');
		expect(embed?.fields?.[0]?.value).to.match(new RegExp(`^<#${locked}> \`entry\\.ready\` <t:\\d+:R> \\(failed\\): 403 Missing Permissions`));
	});
});
