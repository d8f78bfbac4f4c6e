import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { APIMessage } from 'discord-api-types/v10';
import { closeKeyv, createKeyv } from '../../src/core/storage/keyv-factory.js';
import { BotProcess, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn, type InteractionHandle } from '../harness/discord/index.js';
import { KalturaStandIn } from '../harness/kaltura/index.js';
import { waitUntil } from '../helpers/wait-until.js';

const ADMIN_SECRET = 'e2e-user-sync-admin-secret-of-the-partner';
const JWT_SECRET = 'e2e-user-sync-jwt-secret-long-enough-for-hs256';
const PREFIX = 'discord_';

/**
 * What this suite reads of the checkpoint user sync keeps in its storage namespace (`checkpoint.<guild id>`):
 * how many members are done, and the id up to which every member is (members go in ascending id order).
 */
interface StoredCheckpoint {
	readonly completed: number;
	readonly doneThrough: string;
}

interface KalturaUser {
	id: string;
	screenName?: string;
	firstName?: string;
	lastName?: string;
	partnerData?: string;
	status?: number;
	roleIds?: string;
}

/** Snowflakes compared as numbers. */
const idAtMost = (id: string, limit: string) => BigInt(id) <= BigInt(limit);

/**
 * The user-sync plugin in the bot process, as `npm start` runs it, against the Discord stand-in's
 * gateway (member events, member list requests) and the Kaltura stand-in's user service.
 */
describe('End to end: user-sync keeps Kaltura users in step with the members', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: BotProcess;
	let botEnv: Record<string, string>;
	let dataDir: string;
	/** Output of bot processes already gone, for the final secret scan. */
	let earlierOutput = '';
	/** Every interaction the tests ran, for the final scan of replies. */
	const handles: InteractionHandle[] = [];

	let guildId: string;
	let adminId: string;
	let moderatorsRoleId: string;
	let bigGuildId: string;
	let bigOwnerId: string;
	let crashGuildId: string;
	let crashOwnerId: string;
	let bystanderId: string;

	before(async () => {
		discord = await DiscordStandIn.start({
			privilegedIntents: { guildMembers: true },
			memberListWindowMs: 300,
			retryAfterHeader: 'exact',
			waitTimeoutMs: 10_000
		});
		const guild = discord.addGuild({ name: 'Sync fans' });
		guildId = guild.id;
		const admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild });
		moderatorsRoleId = discord.addRole(guildId, { name: 'Moderators' }).id;
		adminId = discord.addMember(guildId, { user: { username: 'ada' }, roles: [admins.id] }).user!.id;

		// 999 members and the owner: a thousand people to reconcile.
		const big = discord.addGuild({ name: 'Big server' });
		bigGuildId = big.id;
		bigOwnerId = big.ownerId;
		for (let index = 0; index < 999; index++) discord.addMember(bigGuildId, { user: { username: `member-${index}` } });

		const crash = discord.addGuild({ name: 'Crash test' });
		crashGuildId = crash.id;
		crashOwnerId = crash.ownerId;
		for (let index = 0; index < 598; index++) discord.addMember(crashGuildId, { user: { username: `crash-${index}` } });

		kaltura = await KalturaStandIn.start({ partnerId: 6160, adminSecret: ADMIN_SECRET });
		dataDir = mkdtempSync(join(tmpdir(), 'kaltura-discord-user-sync-'));
		botEnv = {
			DATA_DIR: dataDir,
			...standInEnvironment({ discord, kaltura }),
			DISCORD_PRIVILEGED_INTENTS: 'GuildMembers',
			KALTURA_TIMEOUT_MS: '3000',
			JWT_SECRET,
			NODE_ENV: 'production',
			LOG_LEVEL: 'debug'
		};
		bot = await BotProcess.start({ env: botEnv });

		for (const [guild, admin] of [
			[guildId, adminId],
			[bigGuildId, bigOwnerId]
		] as const) {
			const enabled = await slash(guild, admin, 'plugins', 'enable', { plugin: 'user-sync' }).waitForReply();
			expect(enabled.content).to.equal('The **user-sync** plugin is now on in this server.');
		}
		const mapped = await slash(guildId, adminId, 'config', 'set', {
			key: 'role-mapping.mappings',
			value: `{"${moderatorsRoleId}":"moderator"}`
		}).waitForReply();
		expect(mapped.content).to.include('role-mapping.mappings');
	});

	after(async () => {
		kaltura?.faults.clear();
		if (bot) expect(await bot.stop(), 'exit code after SIGTERM').to.equal(0);
		await discord?.stop();
		await kaltura?.stop();
	});

	afterEach(() => kaltura.faults.clear());

	function slash(guild: string, as: string, name: string, subcommand?: string, options: Record<string, string> = {}): InteractionHandle {
		const handle = discord.runSlashCommand({ guildId: guild, memberId: as, name, ...(subcommand ? { subcommand } : {}), options });
		handles.push(handle);
		return handle;
	}

	/** The first edit of the reply that satisfies `test`, e.g. the summary after the progress edits. */
	function editMatching(handle: InteractionHandle, test: RegExp, timeoutMs = 20_000): Promise<APIMessage> {
		return waitUntil(() => handle.edits.find((edit) => test.test(edit.content)), `an edit matching ${test}`, timeoutMs);
	}

	const userOf = (discordUserId: string) => kaltura.state.getUser(`${PREFIX}${discordUserId}`) as KalturaUser | undefined;
	const partnerDataOf = (discordUserId: string) =>
		JSON.parse(userOf(discordUserId)!.partnerData!) as { discord: { userId: string; guilds: Record<string, { kalturaRole: string }> } };
	const callsFor = (action: string, discordUserId: string) =>
		kaltura.stats
			.callsTo('user', action)
			.filter((call) => (call.params.userId ?? (call.params.user as { id?: string } | undefined)?.id) === `${PREFIX}${discordUserId}`);
	const setOnLeave = async (policy: string) => {
		const reply = await slash(guildId, adminId, 'config', 'set', { key: 'user-sync.onLeave', value: policy }).waitForReply();
		expect(reply.content).to.equal(`\`user-sync.onLeave\` is now \`"${policy}"\`.`);
	};

	let kimId: string;

	it('GIVEN a member joins a server with the plugin on THEN Kaltura gets a user for them, with their role in partnerData', async () => {
		// A member joining a server where the plugin is off gets nothing; the event comes first, so by the
		// time the second member's user exists, the first one would exist too.
		bystanderId = discord.memberJoin(crashGuildId, { user: { username: 'bystander' } }).user!.id;
		kimId = discord.memberJoin(guildId, { user: { username: 'kim', globalName: 'Kim Possible' } }).user!.id;

		const user = await waitUntil(() => userOf(kimId), 'the Kaltura user of the member who joined');
		expect(user).to.include({ screenName: 'Kim Possible', firstName: 'Kim', lastName: 'Possible', status: 1 });
		expect(user.roleIds, 'no KMC back-office role').to.equal(undefined);
		expect(partnerDataOf(kimId)).to.deep.equal({ discord: { userId: kimId, guilds: { [guildId]: { kalturaRole: 'viewer' } } } });
		expect(userOf(bystanderId), 'a member of a server with the plugin off').to.equal(undefined);
	});

	it('GIVEN the member gets a mapped Discord role THEN their Kaltura role follows, in one update', async () => {
		const updatesBefore = callsFor('update', kimId).length;
		discord.memberUpdate(guildId, kimId, { roles: [moderatorsRoleId] });
		await waitUntil(() => partnerDataOf(kimId).discord.guilds[guildId]?.kalturaRole === 'moderator', 'the moderator role on Kaltura');
		expect(callsFor('update', kimId).length).to.equal(updatesBefore + 1);

		discord.memberUpdate(guildId, kimId, { nick: 'KP' });
		await waitUntil(() => userOf(kimId)!.screenName === 'KP', 'the nickname on Kaltura');
		expect(userOf(kimId)).to.include({ firstName: 'KP', lastName: '' });
	});

	it('GIVEN onLeave keep THEN a member who leaves keeps their Kaltura user, and nothing is called', async () => {
		await setOnLeave('keep');
		const id = discord.memberJoin(guildId, { user: { username: 'kept' } }).user!.id;
		await waitUntil(() => userOf(id), 'the user of the member who joined');
		discord.memberLeave(guildId, id);
		await waitUntil(() => bot.output().includes(`member ${id} left guild ${guildId}; their Kaltura user is kept`), 'the leave in the log');
		expect(userOf(id)!.status).to.equal(1);
		expect([...callsFor('get', id), ...callsFor('update', id), ...callsFor('delete', id)]).to.have.lengthOf(0);
	});

	it('GIVEN onLeave block THEN a member who leaves has their Kaltura user blocked, and re-activated when they come back', async () => {
		await setOnLeave('block');
		const id = discord.memberJoin(guildId, { user: { username: 'blocked' } }).user!.id;
		await waitUntil(() => userOf(id), 'the user of the member who joined');
		discord.memberLeave(guildId, id);
		await waitUntil(() => userOf(id)!.status === 0, 'the user blocked');
		expect(partnerDataOf(id).discord.guilds).to.deep.equal({});

		discord.memberJoin(guildId, { user: id });
		await waitUntil(() => userOf(id)!.status === 1, 'the user active again');
		expect(partnerDataOf(id).discord.guilds[guildId]).to.deep.equal({ kalturaRole: 'viewer' });
	});

	it('GIVEN onLeave delete THEN a member who leaves has their Kaltura user deleted', async () => {
		await setOnLeave('delete');
		const id = discord.memberJoin(guildId, { user: { username: 'deleted' } }).user!.id;
		await waitUntil(() => userOf(id), 'the user of the member who joined');
		discord.memberLeave(guildId, id);
		await waitUntil(() => userOf(id) === undefined, 'the user deleted');
		expect(callsFor('delete', id)).to.have.lengthOf(1);
		await setOnLeave('keep');
	});

	it('GIVEN /kaltura-sync run twice THEN the second pass finds everyone up to date and makes no update call', async () => {
		const first = slash(guildId, adminId, 'kaltura-sync');
		const firstSummary = await editMatching(first, /^\*\*Synced/);
		// owner, ada, kim and the member who came back; kim and the returner exist already.
		expect(firstSummary.content).to.match(
			/^\*\*Synced 4 members to Kaltura\*\* in [\d.]+ s: 2 created, 0 updated, 2 unchanged, 0 failed\.\n1 bot was skipped/
		);

		const updates = kaltura.stats.count('user', 'update');
		const second = slash(guildId, adminId, 'kaltura-sync');
		const secondSummary = await editMatching(second, /^\*\*Synced/);
		expect(secondSummary.content).to.match(/^\*\*Synced 4 members to Kaltura\*\* in [\d.]+ s: 0 created, 0 updated, 4 unchanged, 0 failed\./);
		expect(kaltura.stats.count('user', 'update')).to.equal(updates);
		expect(second.callback!.ephemeral).to.equal(true);
	});

	it('GIVEN a member without Manage Server THEN Discord does not offer them /kaltura-sync', () => {
		expect(() => slash(guildId, kimId, 'kaltura-sync')).to.throw(/permission/i);
	});

	it('GIVEN 1,000 members THEN a pass reports progress, refuses a second one, sums up correctly, counts its requests and never exceeds the concurrency', async () => {
		const set = await slash(bigGuildId, bigOwnerId, 'config', 'set', { key: 'user-sync.concurrency', value: '5' }).waitForReply();
		expect(set.content).to.equal('`user-sync.concurrency` is now `5`.');
		// Slow enough that the pass (a few dozen requests) outlasts a progress edit (every 3 s) and a second command.
		kaltura.faults.latency(800);
		kaltura.stats.reset();
		const started = Date.now();
		const pass = slash(bigGuildId, bigOwnerId, 'kaltura-sync');
		await waitUntil(() => kaltura.stats.count('user', 'add') >= 100, 'the pass under way');
		const refused = await slash(bigGuildId, bigOwnerId, 'kaltura-sync').waitForReply();
		expect(refused.content).to.match(
			/^A sync of this server’s members to Kaltura is already running \(started with \/kaltura-sync\)\. Synced [\d,]+ of 1,000 members…/
		);

		const summary = await editMatching(pass, /^\*\*Synced/, 30_000);
		expect(summary.content).to.match(
			/^\*\*Synced 1,000 members to Kaltura\*\* in [\d.]+ s: 1,000 created, 0 updated, 0 unchanged, 0 failed\.\n1 bot was skipped/
		);
		expect(
			pass.edits.some((edit) => /^Synced [\d,]+ of 1,000 members…$/.test(edit.content)),
			'a progress edit'
		).to.equal(true);
		expect(kaltura.stats.count('user', 'add')).to.equal(1000);
		// Two list pages (user.list, 150 ids a call, in one multirequest each), a probe of 25 writes, then batches of 50.
		expect(kaltura.stats.requests, 'Kaltura requests').to.be.at.most(1000 / 50 + 6);
		expect(kaltura.stats.callsTo('user', 'add').every((call) => call.multirequest)).to.equal(true);
		expect(kaltura.stats.peakInFlight).to.be.at.most(5).and.at.least(2);
		console.log(`      1,000 members: ${Date.now() - started} ms, peak ${kaltura.stats.peakInFlight} Kaltura requests in flight`);
	});

	it('GIVEN the bot is killed mid-pass THEN after a restart the pass carries on from its checkpoint', async function () {
		const enabled = await slash(crashGuildId, crashOwnerId, 'plugins', 'enable', { plugin: 'user-sync' }).waitForReply();
		expect(enabled.content).to.equal('The **user-sync** plugin is now on in this server.');
		// Writes go 50 to a request: slow requests leave time to kill the bot mid-pass.
		kaltura.faults.latency(400);
		kaltura.stats.reset();
		slash(crashGuildId, crashOwnerId, 'kaltura-sync');
		await waitUntil(() => kaltura.stats.count('user', 'add') >= 250, 'the pass a good way in', 20_000);

		process.kill(bot.nodePid, 'SIGKILL');
		await bot.exitCode;
		earlierOutput += bot.output();
		await new Promise((done) => setTimeout(done, 200));
		const callsBeforeRestart = kaltura.stats.log.length;
		const usersBeforeRestart = kaltura.stats.count('user', 'add');
		expect(usersBeforeRestart, 'killed before the end').to.be.below(600);

		const store = createKeyv<StoredCheckpoint>({ kind: 'sqlite', file: join(dataDir, 'keyv.sqlite') }, 'user-sync');
		const checkpoint = await store.get(`checkpoint.${crashGuildId}`);
		await closeKeyv(store);
		expect(checkpoint, 'a checkpoint survived the kill').to.not.equal(undefined);
		expect(checkpoint!.completed).to.be.greaterThan(0).and.at.most(usersBeforeRestart);

		bot = await BotProcess.start({ env: botEnv });
		await waitUntil(() => /User sync of guild \d+ finished/.test(bot.output()), 'the resumed pass to finish', 20_000);
		const output = bot.output();
		expect(output).to.include(
			`User sync of guild ${crashGuildId} resumed from its checkpoint (startup): ${checkpoint!.completed} of 600 members were done.`
		);
		const finished = /User sync of guild \d+ finished in [^:]+: 600 members; (\d+) created, (\d+) updated, (\d+) unchanged, (\d+) failed\./.exec(
			output
		);
		expect(finished, 'the summary line').to.not.equal(null);
		const [created, updated, unchanged, failed] = finished!.slice(1).map(Number) as [number, number, number, number];
		expect({ sum: created + updated + unchanged, failed }).to.deep.equal({ sum: 600, failed: 0 });

		// Nothing at or below the checkpoint was touched again, and everyone is on Kaltura now.
		const after = kaltura.stats.log.slice(callsBeforeRestart).filter((call) => call.service === 'user');
		const idsOf = (call: (typeof after)[number]): string[] =>
			call.action === 'list'
				? String((call.params.filter as { idIn?: string }).idIn).split(',')
				: [String(call.params.userId ?? (call.params.user as { id?: string }).id)];
		const touched = after.flatMap(idsOf).map((id) => id.slice(PREFIX.length));
		expect(touched.filter((id) => idAtMost(id, checkpoint!.doneThrough))).to.deep.equal([]);
		const members = [...discord.state.requireGuild(crashGuildId).members.keys()].filter((id) => id !== discord.botUser.id);
		expect(members).to.have.lengthOf(600).and.include(bystanderId);
		expect(members.filter((id) => userOf(id) === undefined)).to.deep.equal([]);
	});

	it('GIVEN everything above THEN no secret, token or KS is in any reply or log line', () => {
		const output = earlierOutput + bot.output();
		const replies = handles
			.flatMap((handle) => [JSON.stringify(handle.callback ?? {}), ...handle.edits.map((edit) => JSON.stringify(edit))])
			.join('\n');
		for (const text of [output, replies]) {
			for (const secret of [ADMIN_SECRET, JWT_SECRET, discord.token]) expect(text).to.not.include(secret);
			expect(text).to.not.match(/djJ8[\w-]{20,}/);
		}
		const contents = handles
			.flatMap((handle) => [handle.callback?.message?.content, ...handle.edits.map((edit) => edit.content)])
			.filter((content) => content !== undefined);
		expect(contents.length).to.be.greaterThan(20);
		for (const content of contents) expect(content).to.not.match(/undefined|null|NaN|\[object Object\]/);
		for (const line of output.trim().split('\n')) expect(() => JSON.parse(line), line).to.not.throw();
	});
});
