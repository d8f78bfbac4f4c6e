import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { BotProcess, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn, type InteractionHandle } from '../harness/discord/index.js';
import { KalturaStandIn } from '../harness/kaltura/index.js';

const ADMIN_SECRET = 'e2e-admin-secret-of-the-partner';
const JWT_SECRET = 'e2e-jwt-secret-that-is-long-enough-for-hs256';
const WEBHOOK_EDIT_ROUTE = '/webhooks/:webhook_id/:token/messages/:message_id';

/**
 * The bot as `npm start` runs it, in its own process, against the Discord and Kaltura stand-ins:
 * only DISCORD_API_URL and KALTURA_SERVICE_URL differ from production.
 */
describe('End to end: the bot process against the Discord and Kaltura stand-ins', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: BotProcess;
	let guildId: string;
	let adminId: string;
	let memberId: string;
	let botEnv: Record<string, string>;
	/** Output of bot processes already stopped, for the final secret scan. */
	let earlierOutput = '';

	before(async () => {
		discord = await DiscordStandIn.start({
			// One edit per interaction token every 2 s: the test can then make the bot meet a real 429.
			routeRateLimits: [{ method: 'PATCH', route: WEBHOOK_EDIT_ROUTE, limit: 1, windowMs: 2000 }],
			retryAfterHeader: 'exact'
		});
		const guild = discord.addGuild({ name: 'Kaltura fans' });
		guildId = guild.id;
		const admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild });
		adminId = discord.addMember(guildId, { user: { username: 'ada' }, roles: [admins.id] }).user!.id;
		memberId = discord.addMember(guildId, { user: { username: 'max' } }).user!.id;

		kaltura = await KalturaStandIn.start({ partnerId: 5150, adminSecret: ADMIN_SECRET });
		kaltura.state.addEntry({ name: 'Welcome to the community', tags: 'welcome', duration: 95 });
		kaltura.state.addEntry({ name: 'Welcome, part two', tags: 'welcome', duration: 30 });

		botEnv = {
			DATA_DIR: mkdtempSync(join(tmpdir(), 'kaltura-discord-e2e-')),
			...standInEnvironment({ discord, kaltura }),
			KALTURA_TIMEOUT_MS: '1500',
			JWT_SECRET,
			NODE_ENV: 'production',
			LOG_LEVEL: 'debug'
		};
		bot = await BotProcess.start({ env: botEnv });
	});

	after(async () => {
		kaltura?.faults.clear();
		if (bot) expect(await bot.stop(), 'exit code after SIGTERM').to.equal(0);
		await discord?.stop();
		await kaltura?.stop();
	});

	afterEach(() => kaltura.faults.clear());

	const slash = (input: { as: string; name: string; subcommand?: string; options?: Record<string, string> }): InteractionHandle =>
		discord.runSlashCommand({
			guildId,
			memberId: input.as,
			name: input.name,
			...(input.subcommand ? { subcommand: input.subcommand } : {}),
			options: input.options ?? {}
		});

	it('GIVEN the bot started THEN it logged in over the gateway and reports ready', async () => {
		const response = await fetch(`${bot.apiUrl}/ready`);
		expect(response.status).to.equal(200);
		expect(await response.json()).to.deep.equal({ status: 'ready', checks: { gateway: true, discord_token: true, storage: true } });
		expect(bot.output()).to.match(/"message":"Logged in as harness-bot/);
	});

	it('GIVEN start-up THEN the commands were published once, in one bulk overwrite Discord accepted', async () => {
		const puts = discord.requestsMatching({ method: 'PUT', route: '/applications/:application_id/commands' });
		expect(puts).to.have.lengthOf(1);
		expect(puts[0]!.status).to.equal(200);
		const names = (puts[0]!.body as { name: string }[]).map((command) => command.name);
		expect(names).to.include.members(['about', 'api-token', 'config', 'kaltura-user', 'plugins', 'roles', 'Kaltura profile', 'video']);
	});

	it('GIVEN /plugins list THEN the member sees each plugin privately', async () => {
		const handle = slash({ as: memberId, name: 'plugins', subcommand: 'list' });
		const reply = await handle.waitForReply();
		expect(handle.callback!.ephemeral).to.equal(true);
		expect(reply.embeds[0]!.fields!.map((field) => field.name)).to.include('videos v1.2.0 — ⚪ off');
	});

	it('GIVEN a plugin that is off THEN its command is denied with how to turn it on', async () => {
		const reply = await slash({ as: memberId, name: 'video', subcommand: 'search', options: { query: 'welcome' } }).waitForReply();
		expect(reply.content).to.include('The **videos** plugin is turned off in this server').and.include('/plugins enable plugin:videos');
	});

	it('GIVEN an admin turns it on THEN the command works, and off again THEN it is denied again', async () => {
		const enabled = await slash({ as: adminId, name: 'plugins', subcommand: 'enable', options: { plugin: 'videos' } }).waitForReply();
		expect(enabled.content).to.equal('The **videos** plugin is now on in this server.');
		const results = await slash({ as: memberId, name: 'video', subcommand: 'search', options: { query: 'welcome' } }).waitForReply();
		expect(results.embeds[0]!.description).to.include('Welcome to the community').and.include('1:35');

		await slash({ as: adminId, name: 'plugins', subcommand: 'disable', options: { plugin: 'videos' } }).waitForReply();
		const denied = await slash({ as: memberId, name: 'video', subcommand: 'search', options: { query: 'welcome' } }).waitForReply();
		expect(denied.content).to.include('turned off in this server');
		await slash({ as: adminId, name: 'plugins', subcommand: 'enable', options: { plugin: 'videos' } }).waitForReply();
	});

	it('GIVEN /config set and view through the gateway THEN the change is stored and shown', async () => {
		const set = await slash({
			as: adminId,
			name: 'config',
			subcommand: 'set',
			options: { key: 'videos.resultLimit', value: '1' }
		}).waitForReply();
		expect(set.content).to.equal('`videos.resultLimit` is now `1`.');
		const view = await slash({ as: adminId, name: 'config', subcommand: 'view', options: { key: 'videos' } }).waitForReply();
		expect(view.content).to.include('"resultLimit": 1');
		const results = await slash({ as: memberId, name: 'video', subcommand: 'search', options: { query: 'welcome' } }).waitForReply();
		expect(results.embeds[0]!.footer!.text).to.equal('Showing 1 of 2');
		await slash({ as: adminId, name: 'config', subcommand: 'reset', options: { key: 'videos.resultLimit' } }).waitForReply();
	});

	it('GIVEN a member without Manage Server THEN Discord hides /config from them', () => {
		expect(() => slash({ as: memberId, name: 'config', subcommand: 'view' })).to.throw(/permission/i);
	});

	it('GIVEN Discord answers the bot’s reply with a 429 THEN the bot waits it out and the reply still arrives', async () => {
		kaltura.faults.latency(700, { match: { service: 'media', action: 'list' } });
		const handle = slash({ as: memberId, name: 'video', subcommand: 'search', options: { query: 'welcome' } });
		await handle.waitForCallback();
		// Someone else edits the same response first and uses up the route's bucket.
		const taken = await fetch(`${discord.restUrl}/v10/webhooks/${discord.applicationId}/${handle.token}/messages/@original`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ content: 'placeholder' })
		});
		expect(taken.status).to.equal(200);
		const before = discord.rateLimitStats().byRoute[`PATCH ${WEBHOOK_EDIT_ROUTE}`] ?? 0;
		const reply = await handle.waitForEdit(2, 10_000);
		expect(reply.embeds[0]!.title).to.equal('Videos matching “welcome”');
		expect(discord.rateLimitStats().byRoute[`PATCH ${WEBHOOK_EDIT_ROUTE}`] ?? 0).to.be.greaterThan(before);
	});

	it('GIVEN a Kaltura error THEN the member gets a clear sentence', async () => {
		kaltura.faults.error('SERVICE_FORBIDDEN', { match: { service: 'media', action: 'list' }, args: { SERVICE: 'media->list' } });
		const reply = await slash({ as: memberId, name: 'video', subcommand: 'search', options: { query: 'welcome' } }).waitForReply();
		expect(reply.content).to.equal('The search did not work: The bot is not allowed to do that on this Kaltura account.');
	});

	it('GIVEN Kaltura does not answer THEN the member is told so within the limit and nothing hangs', async () => {
		kaltura.faults.timeout({ match: { service: 'media', action: 'list' } });
		const started = Date.now();
		const reply = await slash({ as: memberId, name: 'video', subcommand: 'search', options: { query: 'welcome' } }).waitForReply(8000);
		expect(reply.content).to.equal('The search did not work: Kaltura did not answer in time. Please try again in a moment.');
		expect(Date.now() - started).to.be.lessThan(5000);
		const health = await fetch(`${bot.apiUrl}/health`);
		expect(health.status).to.equal(200);
	});

	it('GIVEN a restart with the same data and command versions THEN nothing is re-published and commands still answer', async () => {
		expect(await bot.stop()).to.equal(0);
		earlierOutput += bot.output();
		bot = await BotProcess.start({ env: botEnv });
		expect(discord.requestsMatching({ method: 'PUT', route: '/applications/:application_id/commands' })).to.have.lengthOf(1);
		expect(bot.output()).to.include('Application commands are up to date; nothing sent to Discord.');
		const reply = await slash({ as: memberId, name: 'about' }).waitForReply();
		expect(reply.embeds[0]!.fields!.find((field) => field.name === 'Commands')!.value).to.include('/video v1.0.0');
		// Runtime config lives in the embedded SQLite store and survived the restart.
		const plugins = await slash({ as: memberId, name: 'plugins', subcommand: 'list' }).waitForReply();
		expect(plugins.embeds[0]!.fields!.map((field) => field.name)).to.include('videos v1.2.0 — 🟢 on');
	});

	it('GIVEN everything above THEN no secret, token or KS appears in the bot’s output', () => {
		const output = earlierOutput + bot.output();
		for (const secret of [ADMIN_SECRET, JWT_SECRET, discord.token]) expect(output).to.not.include(secret);
		expect(output).to.not.match(/djJ8[\w-]{20,}/);
		for (const line of output.trim().split('\n')) expect(() => JSON.parse(line), line).to.not.throw();
	});
});
