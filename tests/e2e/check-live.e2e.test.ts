import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import { REST, Routes } from 'discord.js';
import { LIVE_CHECK_MESSAGE } from '../../scripts/check-live/discord-checks.js';
import { LIVE_CHECK_NAME, LIVE_CHECK_TAG } from '../../scripts/check-live/kaltura-checks.js';
import type { StepResult } from '../../scripts/check-live/report.js';
import { runLiveCheck } from '../../scripts/check-live/run.js';
import { freePort, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn } from '../harness/discord/index.js';
import { KalturaStandIn } from '../harness/kaltura/index.js';
import { testEnvironment, TEST_SECRETS } from '../helpers/test-bot.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const ADMIN_SECRET = 'live-check-admin-secret-of-the-partner';
const PARTNER_ID = 4321;

/** A project script as an operator runs it: its own process, only the variables given (and PATH, HOME). */
function runProcess(
	script: string,
	env: Record<string, string>,
	args: readonly string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((done, fail) => {
		const child = spawn(TSX, [script, ...args], {
			cwd: PROJECT_ROOT,
			env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		child.once('error', fail);
		child.once('exit', (code) => done({ code, stdout, stderr }));
	});
}

/** `npm run check:live`. */
const runScript = (env: Record<string, string>, args: readonly string[]) => runProcess('scripts/check-live.ts', env, args);

/**
 * The notifications plugin's webhook templates as an operator gets them (docs/plugins/notifications.md): Kaltura's
 * administrator adds the plugin's own templates to partner 0 with the requests `npm run kaltura:webhooks -- --admin-templates`
 * prints, then `npm run kaltura:webhooks -- --url …` clones them into the partner.
 */
async function setUpWebhookTemplates(kaltura: KalturaStandIn, env: Record<string, string>): Promise<void> {
	const cli = 'plugins/notifications/cli/kaltura-webhooks.ts';
	const offered = await runProcess(cli, {}, ['--admin-templates']);
	expect(offered.code, offered.stderr).to.equal(0);
	for (const line of offered.stdout.trim().split('\n')) {
		const response = await fetch(`${kaltura.serviceUrl}/api_v3/service/eventnotification_eventnotificationtemplate/action/add`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ ...(JSON.parse(line) as object), ks: kaltura.adminConsoleKs() })
		});
		expect(await response.json()).to.include({ partnerId: 0, status: 2 });
	}
	const setUp = await runProcess(cli, env, ['--url', 'https://bot.example/api/v1/webhooks/kaltura']);
	expect(setUp.code, setUp.stderr).to.equal(0);
}

function row(results: readonly StepResult[], id: string): StepResult {
	const found = results.find((result) => result.id === id);
	expect(found, `a row ${id} in ${JSON.stringify(results, null, 1)}`).to.not.equal(undefined);
	return found!;
}

/** `npm run check:live` against the stand-ins: a passing run, and a run with each step made to fail. */
describe('End to end: npm run check:live', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let channelId: string;
	let lockedChannelId: string;

	const env = (overrides: Record<string, string> = {}) => testEnvironment({ ...standInEnvironment({ discord, kaltura }), ...overrides });
	/** The check in this process; Kaltura's faults are checked without a channel (Discord's message limits would slow them down). */
	const check = (overrides: Record<string, string> = {}, options: { channel?: string } = { channel: channelId }) =>
		runLiveCheck(env(overrides), { channelId: options.channel });
	const kalturaOnly = { channel: undefined };

	/** Nothing of the check is left on either side: no live schedule object, no category it made, no message. */
	function expectNothingLeftBehind(options: { exceptEventIds?: number[]; exceptMessageIds?: string[] } = {}): void {
		const alive = (objects: Iterable<Record<string, unknown>>) => [...objects].filter((object) => object.status !== 3);
		const events = alive(kaltura.state.scheduleEvents.values()).filter((event) => !(options.exceptEventIds ?? []).includes(Number(event.id)));
		expect(
			events.map((event) => event.id),
			'schedule events left'
		).to.deep.equal([]);
		expect(
			alive(kaltura.state.scheduleResources.values()).map((resource) => resource.id),
			'schedule resources left'
		).to.deep.equal([]);
		expect(
			alive(kaltura.state.categories.values()).filter((category) => category.name === LIVE_CHECK_NAME),
			'test categories left'
		).to.deep.equal([]);
		for (const channel of [channelId, lockedChannelId]) {
			const messages = discord.channelMessages(channel).filter((message) => !(options.exceptMessageIds ?? []).includes(message.id));
			expect(
				messages.map((message) => message.content),
				`messages left in ${channel}`
			).to.deep.equal([]);
		}
	}

	before(async () => {
		discord = await DiscordStandIn.start({ waitTimeoutMs: 10_000 });
		const guild = discord.addGuild({ name: 'Live check' });
		channelId = discord.addChannel(guild.id, { name: 'bot-check' }).id;
		lockedChannelId = discord.addChannel(guild.id, {
			name: 'read-only',
			permissionOverwrites: [{ id: discord.botUser.id, type: OverwriteType.Member, allow: '0', deny: String(PermissionFlagsBits.SendMessages) }]
		}).id;
		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET, notifications: { autoDispatch: false } });
		kaltura.state.addEntry({ name: 'Intro' });
		// What a bot that has started once and whose webhooks were set up has: global commands and the plugin's templates.
		await new REST({ api: discord.restUrl }).setToken(discord.token).put(Routes.applicationCommands(discord.applicationId), {
			body: [
				{ name: 'meeting', description: 'Meetings' },
				{ name: 'video', description: 'Videos' }
			]
		});
		await setUpWebhookTemplates(kaltura, { ...standInEnvironment({ discord, kaltura }), JWT_SECRET: TEST_SECRETS.JWT_SECRET });
		kaltura.stats.reset();
	});

	afterEach(() => {
		kaltura.faults.clear();
		discord.restFaults.clear();
	});

	after(async () => {
		await discord?.stop();
		await kaltura?.stop();
	});

	describe('GIVEN working credentials', () => {
		it('WHEN the script runs THEN every step is ok, it exits 0, prints no secret and leaves nothing behind', async () => {
			const { code, stdout, stderr } = await runScript({ ...standInEnvironment({ discord, kaltura }), JWT_SECRET: TEST_SECRETS.JWT_SECRET }, [
				'--channel',
				channelId
			]);
			expect(stderr).to.equal('');
			expect(stdout.match(/^ {2}ok +Kaltura /gm), 'seven Kaltura rows ok').to.have.length(7);
			expect(stdout.match(/^ {2}ok +Discord /gm), 'four Discord rows ok').to.have.length(4);
			expect(stdout).to.include('session (local)').and.include('media.list (1 entry)').and.include('post and delete a message');
			expect(stdout).to.include('0 failed. The live check passed.');
			expect(stdout).to.not.include('FAILED').and.not.include('WARN');
			expect(stdout).to.not.include(ADMIN_SECRET).and.not.include(discord.token).and.not.include(TEST_SECRETS.JWT_SECRET);
			expect(code).to.equal(0);
			expectNothingLeftBehind();
		});

		it('WHEN it runs with --json THEN each step is a row with its status, and the message went to the named channel and was deleted', async () => {
			const before = discord.requestsMatching({ method: 'POST', route: '/channels/:channel_id/messages' }).length;
			const { code, stdout } = await runScript(
				{ ...standInEnvironment({ discord, kaltura }), JWT_SECRET: TEST_SECRETS.JWT_SECRET, LIVE_CHECK_CHANNEL_ID: channelId },
				['--json']
			);
			const { passed, results } = JSON.parse(stdout) as { passed: boolean; results: StepResult[] };
			expect(passed).to.equal(true);
			expect(code).to.equal(0);
			expect(results.map((result) => [result.id, result.status])).to.deep.equal([
				['kaltura.session', 'ok'],
				['kaltura.media-list', 'ok'],
				['kaltura.members-session', 'ok'],
				['kaltura.webhook-templates', 'ok'],
				['kaltura.category', 'ok'],
				['kaltura.schedule-resource', 'ok'],
				['kaltura.schedule-event', 'ok'],
				['discord.login', 'ok'],
				['discord.application', 'ok'],
				['discord.commands', 'ok'],
				['discord.message', 'ok']
			]);
			expect(row(results, 'kaltura.media-list').detail).to.include('1 media entry');
			expect(row(results, 'kaltura.schedule-event').detail).to.match(/^made event \d+ in category \d+, a week ahead, deleted at the end$/);
			expect(row(results, 'discord.commands').detail).to.include('/meeting, /video');
			const posts = discord.requestsMatching({ method: 'POST', route: '/channels/:channel_id/messages' }).slice(before);
			expect(posts.map((request) => [request.params.channel_id, (request.body as { content?: string }).content])).to.deep.equal([
				[channelId, LIVE_CHECK_MESSAGE]
			]);
			expect(discord.requestsMatching({ method: 'DELETE', route: '/channels/:channel_id/messages/:message_id' }).at(-1)?.status).to.equal(204);
			expectNothingLeftBehind();
		});

		it('WHEN the schedule event is made THEN it is in the test category, tagged, and the session could reach only what the step uses', async () => {
			const results = await check({}, kalturaOnly);
			const eventId = Number(/made event (\d+)/.exec(row(results, 'kaltura.schedule-event').detail)?.[1]);
			const event = kaltura.state.scheduleEvents.get(eventId)!;
			const category = kaltura.state.categories.get(Number(event.categoryIds))!;
			expect(category.name).to.equal(LIVE_CHECK_NAME);
			expect(event).to.include({ summary: LIVE_CHECK_NAME, tags: LIVE_CHECK_TAG, status: 3 });
			expect(category.status, 'the category the check made is deleted again').to.equal(3);
			const adds = kaltura.stats.log.filter((call) => call.service === 'schedule_scheduleevent' && call.action === 'add');
			const privileges = kaltura.parseKs(String(adds.at(-1)!.ks)).privileges.urirestrict;
			expect(privileges).to.equal('/api_v3/service/schedule_scheduleevent/action/add|/api_v3/service/schedule_scheduleevent/action/delete');
			expectNothingLeftBehind();
		});

		it('WHEN the test category already exists THEN it is used and kept', async () => {
			const existing = kaltura.state.addCategory({ name: LIVE_CHECK_NAME });
			try {
				const results = await check({}, kalturaOnly);
				expect(row(results, 'kaltura.category').detail).to.include(`found category ${String(existing.id)}`);
				expect(kaltura.state.categories.get(Number(existing.id))!.status).to.not.equal(3);
			} finally {
				existing.status = 3;
			}
			expectNothingLeftBehind();
		});

		it('WHEN no channel is named THEN the message step is skipped with the fix “pass --channel”, and the check passes', async () => {
			const results = await check({}, kalturaOnly);
			expect(row(results, 'discord.message')).to.include({ status: 'skipped' });
			expect(row(results, 'discord.message').fix).to.include('--channel');
			expect(results.filter((result) => result.status === 'failed')).to.deep.equal([]);
		});
	});

	describe('GIVEN a Kaltura that fails a step', () => {
		it('WHEN the admin secret is wrong THEN the session fails with the fix naming KALTURA_ADMIN_SECRET, and nothing else is tried', async () => {
			const { code, stdout } = await runScript(
				{
					...standInEnvironment({ discord, kaltura }),
					KALTURA_ADMIN_SECRET: 'not-the-partner-admin-secret',
					JWT_SECRET: TEST_SECRETS.JWT_SECRET
				},
				['--channel', channelId]
			);
			expect(code).to.equal(1);
			expect(stdout).to.match(/FAILED +Kaltura +session \(local\) +INVALID_KS/);
			expect(stdout).to.include('fix: Kaltura refused a session signed with KALTURA_ADMIN_SECRET: check KALTURA_PARTNER_ID (4321)');
			expect(stdout).to.match(/skipped +Kaltura +make and delete a schedule event/);
			expect(stdout).to.not.include('not-the-partner-admin-secret');
			expect(stdout).to.include('The live check FAILED');
			expectNothingLeftBehind();
		});

		it('WHEN the partner id is wrong with session.start THEN the fix names KALTURA_PARTNER_ID', async () => {
			const results = await check({ KALTURA_SESSION_SOURCE: 'session-start', KALTURA_PARTNER_ID: '999999' }, kalturaOnly);
			expect(row(results, 'kaltura.session')).to.include({ status: 'failed' });
			expect(row(results, 'kaltura.session').detail).to.match(/^START_SESSION_ERROR/);
			expect(row(results, 'kaltura.session').fix).to.include('KALTURA_PARTNER_ID (999999)').and.include('admin secret');
			expectNothingLeftBehind();
		});

		it('WHEN Kaltura cannot be reached THEN the session fails with the fix naming KALTURA_SERVICE_URL', async () => {
			const closed = `http://127.0.0.1:${await freePort()}`;
			const results = await check({ KALTURA_SERVICE_URL: closed });
			expect(row(results, 'kaltura.session')).to.include({ status: 'failed' });
			expect(row(results, 'kaltura.session').fix).to.include(`Kaltura cannot be reached at ${closed}`).and.include('KALTURA_SERVICE_URL');
			expect(row(results, 'discord.message').status, 'Discord is still checked').to.equal('ok');
		});

		describe('with app tokens', () => {
			const appTokenEnvironment = (bot: Record<string, unknown>, members: Record<string, unknown>) => ({
				KALTURA_SESSION_SOURCE: 'app-token',
				KALTURA_ADMIN_SECRET: '',
				KALTURA_APP_TOKEN_ID: String(bot.id),
				KALTURA_APP_TOKEN: String(bot.token),
				KALTURA_MEMBER_APP_TOKEN_ID: String(members.id),
				KALTURA_MEMBER_APP_TOKEN: String(members.token)
			});

			it('WHEN both tokens work THEN both sessions are ok', async () => {
				const bot = kaltura.state.addAppToken({ sessionPrivileges: 'urirestrict:*', sessionDuration: 86_400 });
				const members = kaltura.state.addAppToken({ sessionType: 0, sessionPrivileges: 'sessionid:*', sessionDuration: 86_400 });
				const results = await check(appTokenEnvironment(bot, members), kalturaOnly);
				expect(row(results, 'kaltura.session')).to.include({ status: 'ok', step: 'session (app-token)' });
				expect(row(results, 'kaltura.members-session')).to.include({ status: 'ok' });
				expect(results.filter((result) => result.status === 'failed')).to.deep.equal([]);
				expectNothingLeftBehind();
			});

			it('WHEN the bot’s app token is disabled THEN the session fails with the fix “enable it again”', async () => {
				const bot = kaltura.state.addAppToken({ status: 1, sessionPrivileges: 'urirestrict:*' });
				const members = kaltura.state.addAppToken({ sessionType: 0, sessionPrivileges: 'sessionid:*' });
				const results = await check(appTokenEnvironment(bot, members), kalturaOnly);
				expect(row(results, 'kaltura.session').detail).to.match(/^APP_TOKEN_NOT_ACTIVE/);
				expect(row(results, 'kaltura.session').fix).to.include('KALTURA_APP_TOKEN_ID is disabled');
				expect(row(results, 'kaltura.members-session').status, 'the members’ token is checked on its own').to.equal('ok');
				expectNothingLeftBehind();
			});

			it('WHEN the members’ token value is wrong THEN the members’ session fails with the fix naming KALTURA_MEMBER_APP_TOKEN', async () => {
				const bot = kaltura.state.addAppToken({ sessionPrivileges: 'urirestrict:*' });
				const members = kaltura.state.addAppToken({ sessionType: 0, sessionPrivileges: 'sessionid:*' });
				const results = await check({ ...appTokenEnvironment(bot, members), KALTURA_MEMBER_APP_TOKEN: 'not-the-token-value' }, kalturaOnly);
				expect(row(results, 'kaltura.members-session')).to.include({ status: 'failed' });
				expect(row(results, 'kaltura.members-session').fix).to.include('KALTURA_MEMBER_APP_TOKEN is the token’s value');
				expect(row(results, 'kaltura.session').status).to.equal('ok');
				expectNothingLeftBehind();
			});
		});

		it('WHEN media.list is refused THEN its row fails and the other steps still run', async () => {
			kaltura.faults.error('SERVICE_FORBIDDEN', {
				match: { service: 'media', action: 'list' },
				args: { service: 'media', action: 'list' },
				times: 'always'
			});
			const results = await check({}, kalturaOnly);
			expect(row(results, 'kaltura.session').status).to.equal('ok');
			expect(row(results, 'kaltura.media-list')).to.include({ status: 'failed' });
			expect(row(results, 'kaltura.media-list').fix).to.include('Kaltura refused media.list on partner 4321');
			expect(row(results, 'kaltura.schedule-event').status).to.equal('ok');
			expectNothingLeftBehind();
		});

		it('WHEN the partner lacks the meetings feature THEN the schedule steps fail with that fix', async () => {
			kaltura.faults.error('SERVICE_FORBIDDEN', { match: { service: 'scheduleResource', action: 'add' }, times: 'always' });
			kaltura.faults.error('SERVICE_FORBIDDEN', { match: { service: 'scheduleEvent', action: 'add' }, times: 'always' });
			const results = await check({}, kalturaOnly);
			for (const id of ['kaltura.schedule-resource', 'kaltura.schedule-event']) {
				expect(row(results, id)).to.include({ status: 'failed' });
				expect(row(results, id).fix).to.include('the meetings (Schedule) feature is off on partner 4321');
			}
			expectNothingLeftBehind();
		});

		it('WHEN only the schedule event fails THEN the resource made before it is still deleted', async () => {
			kaltura.faults.error('INTERNAL_SERVER_ERROR', { match: { service: 'scheduleEvent', action: 'add' } });
			const results = await check({}, kalturaOnly);
			expect(row(results, 'kaltura.schedule-resource').status).to.equal('ok');
			expect(row(results, 'kaltura.schedule-event')).to.include({ status: 'failed' });
			expect(row(results, 'kaltura.schedule-event').fix).to.include('Kaltura had an internal error');
			expectNothingLeftBehind();
		});

		it('WHEN the test category cannot be made THEN that row fails and the event is made without one', async () => {
			kaltura.faults.error('SERVICE_FORBIDDEN', { match: { service: 'category', action: 'add' } });
			const results = await check({}, kalturaOnly);
			expect(row(results, 'kaltura.category')).to.include({ status: 'failed' });
			expect(row(results, 'kaltura.schedule-event').detail).to.include('without a category');
			expectNothingLeftBehind();
		});

		it('WHEN the webhook templates cannot be listed THEN the fix says event notifications are off on the partner', async () => {
			kaltura.faults.error('SERVICE_FORBIDDEN', { match: { service: 'eventNotificationTemplate', action: 'list' } });
			const results = await check({}, kalturaOnly);
			expect(row(results, 'kaltura.webhook-templates')).to.include({ status: 'failed' });
			expect(row(results, 'kaltura.webhook-templates').fix).to.include('event notifications feature is off on partner 4321');
		});

		it('WHEN deleting the schedule event fails THEN a failed clean-up row says which event to delete by hand, and the rest is removed', async () => {
			kaltura.faults.error('INTERNAL_SERVER_ERROR', { match: { service: 'scheduleEvent', action: 'delete' } });
			const results = await check({}, kalturaOnly);
			const leftover = row(results, 'cleanup.schedule-event');
			const eventId = Number(/made event (\d+)/.exec(row(results, 'kaltura.schedule-event').detail)?.[1]);
			expect(leftover).to.include({ status: 'failed', step: `clean-up: delete schedule event ${eventId}` });
			expect(leftover.fix).to.include(`Delete it by hand: the API call scheduleEvent.delete scheduleEventId=${eventId}`);
			expect(kaltura.state.scheduleEvents.get(eventId)!.status, 'the event really is left').to.not.equal(3);
			expectNothingLeftBehind({ exceptEventIds: [eventId] });
			kaltura.state.scheduleEvents.get(eventId)!.status = 3;
		});
	});

	describe('GIVEN a Discord that fails a step', () => {
		it('WHEN the bot token was reset THEN the login fails with the fix “Reset Token”, and the script exits 1', async () => {
			const oldToken = discord.token;
			discord.resetToken();
			try {
				const { code, stdout } = await runScript(
					{ ...standInEnvironment({ discord, kaltura }), DISCORD_TOKEN: oldToken, JWT_SECRET: TEST_SECRETS.JWT_SECRET },
					['--json', '--channel', channelId]
				);
				const { results } = JSON.parse(stdout) as { results: StepResult[] };
				expect(code).to.equal(1);
				expect(row(results, 'discord.login')).to.include({ status: 'failed' });
				expect(row(results, 'discord.login').detail).to.include('HTTP 401');
				expect(row(results, 'discord.login').fix).to.include('Reset Token').and.include('DISCORD_TOKEN');
				expect(row(results, 'discord.message').status).to.equal('skipped');
				expect(stdout).to.not.include(oldToken);
			} finally {
				// The stand-in now takes only the new token; the other tests read it from discord.token.
			}
			expectNothingLeftBehind();
		});

		it('WHEN the bot may not send in the channel THEN the message step fails with the fix “Send Messages”', async () => {
			const results = await check({}, { channel: lockedChannelId });
			expect(row(results, 'discord.message')).to.include({ status: 'failed' });
			expect(row(results, 'discord.message').detail).to.include('50013');
			expect(row(results, 'discord.message').fix).to.include(`Send Messages permission in channel ${lockedChannelId}`);
			expectNothingLeftBehind();
		});

		it('WHEN the channel does not exist THEN the fix says to check the id given to --channel', async () => {
			const results = await check({}, { channel: '123456789012345678' });
			expect(row(results, 'discord.message').fix).to.include('check the id given to --channel');
		});

		it('WHEN the channel is no channel id THEN the check stops before calling anything', async () => {
			const results = await check({}, { channel: 'general' });
			expect(results.map((result) => [result.id, result.status])).to.deep.equal([['setup.channel', 'failed']]);
		});

		it('WHEN Discord answers the post with a server error THEN the message step fails with that fix', async () => {
			discord.restFaults.fail({ method: 'POST', route: '/channels/:channel_id/messages', status: 502 });
			const results = await check();
			expect(row(results, 'discord.message')).to.include({ status: 'failed' });
			expect(row(results, 'discord.message').fix).to.include('Discord had a server error (HTTP 502)');
			expectNothingLeftBehind();
		});

		it('WHEN deleting the message fails THEN a failed clean-up row links the message to delete by hand', async () => {
			discord.restFaults.fail({ method: 'DELETE', route: '/channels/:channel_id/messages/:message_id', status: 503 });
			const results = await check();
			const leftover = row(results, 'cleanup.discord-message');
			const [message] = discord.channelMessages(channelId);
			expect(message?.content).to.equal(LIVE_CHECK_MESSAGE);
			expect(leftover).to.include({ status: 'failed' });
			expect(leftover.fix).to.include(`/${channelId}/${message!.id} (in #bot-check (${channelId})) and delete it`);
			expectNothingLeftBehind({ exceptMessageIds: [message!.id] });
			discord.restFaults.clear();
			await new REST({ api: discord.restUrl }).setToken(discord.token).delete(Routes.channelMessage(channelId, message!.id));
		});

		it('WHEN the bot asks for a privileged intent the application lacks THEN the application step fails naming the portal switch', async () => {
			const withoutMembersIntent = await DiscordStandIn.start({ privilegedIntents: { guildMembers: false } });
			try {
				const results = await runLiveCheck(
					testEnvironment({ ...standInEnvironment({ discord: withoutMembersIntent, kaltura }), DISCORD_PRIVILEGED_INTENTS: 'GuildMembers' })
				);
				expect(row(results, 'discord.application')).to.include({ status: 'failed' });
				expect(row(results, 'discord.application').fix).to.include('turn on Server Members Intent').and.include('DISCORD_PRIVILEGED_INTENTS');
				const granted = await runLiveCheck(
					testEnvironment({ ...standInEnvironment({ discord, kaltura }), DISCORD_PRIVILEGED_INTENTS: 'GuildMembers' })
				);
				expect(row(granted, 'discord.application').status).to.equal('ok');
			} finally {
				await withoutMembersIntent.stop();
			}
		});
	});

	it('GIVEN an environment the bot cannot start with WHEN the script runs THEN each problem is a failed row and nothing is tried', async () => {
		const before = kaltura.stats.calls;
		const { code, stdout } = await runScript({ ...standInEnvironment({ discord, kaltura }), KALTURA_PARTNER_ID: 'abc' }, []);
		expect(code).to.equal(1);
		expect(stdout).to.include('environment: KALTURA_PARTNER_ID').and.include('environment: JWT_SECRET');
		expect(kaltura.stats.calls).to.equal(before);
	});
});
