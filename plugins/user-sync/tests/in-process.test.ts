import { container } from '@sapphire/framework';
import { expect } from 'chai';
import type { Guild, GuildMember } from 'discord.js';
import { applyLeavePolicy } from '../lib/apply-leave-policy.js';
import { kalturaIdentityOf, syncMember } from '../lib/sync-member.js';
import userSync from '../plugin.js';
import { UserSyncStore } from '../lib/user-sync-store.js';
import { UserSyncService } from '../lib/user-sync-service.js';
import { LocalLeaseStore } from '../../../src/core/cluster/lease-store.js';
import { PeriodicRuns } from '../../../src/core/cluster/periodic-runs.js';
import { DiscordStandIn } from '../../../tests/harness/discord/index.js';
import { KalturaStandIn } from '../../../tests/harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../../tests/helpers/test-bot.js';

interface KalturaUser {
	screenName?: string;
	firstName?: string;
	lastName?: string;
	partnerData?: string;
	status?: number;
}

/**
 * The plugin's pieces in-process, on a bot logged in to the Discord stand-in's gateway (so members are
 * real discord.js objects) and the Kaltura stand-in: the failure paths, linked accounts, members of
 * several servers, and the pass's stop rules and schedule, which the end-to-end suite leaves alone.
 */
describe('user-sync plugin in-process: failures, linked accounts and pass control', function () {
	this.timeout(30_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let mainGuildId: string;
	let otherGuildId: string;
	let crowdGuildId: string;
	let largeGuildId: string;
	let adminId: string;
	let memberIds: string[];

	before(async () => {
		discord = await DiscordStandIn.start({ privilegedIntents: { guildMembers: true }, memberListWindowMs: 300 });
		mainGuildId = discord.addGuild({ name: 'Main' }).id;
		otherGuildId = discord.addGuild({ name: 'Other' }).id;
		crowdGuildId = discord.addGuild({ name: 'Crowd' }).id;
		adminId = discord.addMember(mainGuildId, { user: { username: 'ada', globalName: 'Ada Lovelace' } }).user!.id;
		memberIds = Array.from({ length: 3 }, (_, index) => discord.addMember(mainGuildId, { user: { username: `member-${index}` } }).user!.id);
		discord.addMember(otherGuildId, { user: memberIds[0]! });
		for (let index = 0; index < 150; index++) discord.addMember(crowdGuildId, { user: { username: `crowd-${index}` } });
		// Over the large threshold: GUILD_CREATE carries no members, so discord.js caches none of them.
		largeGuildId = discord.addGuild({ name: 'Large' }).id;
		for (let index = 0; index < 60; index++) discord.addMember(largeGuildId, { user: { username: `large-${index}` } });

		kaltura = await KalturaStandIn.start({ partnerId: 4321, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		bot = await startBotOnStandIns(
			{ discord, kaltura },
			{
				env: {
					KALTURA_TIMEOUT_MS: '600',
					DISCORD_PRIVILEGED_INTENTS: 'GuildMembers',
					// Members may be linked to the partner's own accounts below (a link outside the pattern counts as none).
					KALTURA_LINKABLE_USER_PATTERN: 'jane\\.partner'
				}
			}
		);
		for (const guildId of [mainGuildId, otherGuildId, crowdGuildId, largeGuildId]) {
			await bot.guildConfig.set(guildId, 'plugins.user-sync.enabled', true);
			await bot.guildConfig.set(guildId, 'user-sync.reconcileIntervalMinutes', 0);
		}
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	afterEach(() => {
		kaltura.faults.clear();
	});

	const guild = (id: string): Guild => bot.client.guilds.cache.get(id)!;
	const member = (guildId: string, userId: string): Promise<GuildMember> => guild(guildId).members.fetch(userId);
	const userOf = (id: string) => kaltura.state.getUser(id) as KalturaUser | undefined;
	const settingsOf = (guildId: string) => userSync.settings(guildId);

	it('GIVEN Kaltura refuses THEN the outcome is a failure with Kaltura’s code and a plain sentence, not an exception', async () => {
		kaltura.faults.error('SERVICE_FORBIDDEN', { match: { service: 'user', action: 'add' }, args: { SERVICE: 'user->add' } });
		const outcome = await syncMember(await member(mainGuildId, adminId));
		expect(outcome).to.deep.equal({
			kind: 'failed',
			kalturaUserId: `discord_${adminId}`,
			code: 'SERVICE_FORBIDDEN',
			message: 'The bot is not allowed to do that on this Kaltura account.'
		});
	});

	it('GIVEN Kaltura does not answer THEN the outcome is a timeout within the configured limit', async () => {
		kaltura.faults.timeout({ match: { service: 'user', action: 'add' } });
		const started = Date.now();
		const outcome = await syncMember(await member(mainGuildId, adminId));
		expect(outcome).to.include({ kind: 'failed', code: 'TIMEOUT' });
		expect(Date.now() - started).to.be.below(3000);
	});

	it('GIVEN the sync runs THEN it acts with an ADMIN session of the bot’s own user', async () => {
		expect(await syncMember(await member(mainGuildId, adminId))).to.include({ kind: 'created' });
		const call = kaltura.stats.callsTo('user', 'add').at(-1)!;
		const ks = kaltura.parseKs(String(call.ks));
		expect(ks.type).to.equal(2);
		expect(ks.userId).to.equal('kaltura-discord-bot');
		expect(await syncMember(await member(mainGuildId, adminId))).to.include({ kind: 'unchanged' });
	});

	it('GIVEN a member linked to an existing partner account THEN only partnerData is added to it, and leaving never deletes it', async () => {
		const linkedId = memberIds[1]!;
		kaltura.state.addUser({ id: 'jane.partner', screenName: 'Jane D', firstName: 'Jane', lastName: 'Doe', partnerData: '{"team":"sales"}' });
		await container.identity.link(mainGuildId, linkedId, 'jane.partner', adminId);

		const outcome = await syncMember(await member(mainGuildId, linkedId));
		expect(outcome).to.deep.equal({ kind: 'updated', kalturaUserId: 'jane.partner', fields: ['partnerData'] });
		const jane = userOf('jane.partner')!;
		expect(jane).to.include({ screenName: 'Jane D', firstName: 'Jane', lastName: 'Doe' });
		expect(JSON.parse(jane.partnerData!)).to.deep.equal({
			team: 'sales',
			discord: { userId: linkedId, guilds: { [mainGuildId]: { kalturaRole: 'viewer' } } }
		});

		const deletes = kaltura.stats.count('user', 'delete');
		const left = await applyLeavePolicy('delete', await kalturaIdentityOf(mainGuildId, linkedId), mainGuildId, linkedId);
		expect(left).to.deep.equal({ kind: 'linked', kalturaUserId: 'jane.partner' });
		expect(kaltura.stats.count('user', 'delete')).to.equal(deletes);
		expect(userOf('jane.partner')).to.not.equal(undefined);
	});

	it('GIVEN a member of two synced servers THEN leaving one (block) only removes that server, and the user stays active', async () => {
		const both = memberIds[0]!;
		await syncMember(await member(mainGuildId, both));
		await syncMember(await member(otherGuildId, both));
		expect(Object.keys(JSON.parse(userOf(`discord_${both}`)!.partnerData!).discord.guilds)).to.have.members([mainGuildId, otherGuildId]);

		const left = await applyLeavePolicy('block', await kalturaIdentityOf(otherGuildId, both), otherGuildId, both);
		expect(left).to.deep.equal({ kind: 'still-member-elsewhere', kalturaUserId: `discord_${both}`, guildIds: [mainGuildId] });
		const user = userOf(`discord_${both}`)!;
		expect(user.status).to.equal(1);
		expect(Object.keys(JSON.parse(user.partnerData!).discord.guilds)).to.deep.equal([mainGuildId]);
	});

	it('GIVEN a leave of a member Kaltura never had THEN nothing is blocked or deleted', async () => {
		const never = memberIds[2]!;
		expect(await applyLeavePolicy('delete', await kalturaIdentityOf(mainGuildId, never), mainGuildId, never)).to.deep.equal({
			kind: 'absent',
			kalturaUserId: `discord_${never}`
		});
	});

	it('GIVEN a member discord.js never cached changes THEN the update still reaches Kaltura', async () => {
		const uncached = [...discord.state.requireGuild(largeGuildId).members.keys()].find(
			(id) => id !== discord.botUser.id && id !== discord.state.requireGuild(largeGuildId).ownerId
		)!;
		expect(guild(largeGuildId).members.cache.has(uncached)).to.equal(false);
		discord.memberUpdate(largeGuildId, uncached, { nick: 'Grace Hopper' });
		const deadline = Date.now() + 5000;
		while (userOf(`discord_${uncached}`) === undefined && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
		expect(userOf(`discord_${uncached}`)).to.include({ screenName: 'Grace Hopper', firstName: 'Grace', lastName: 'Hopper' });
	});

	it('GIVEN a member discord.js never cached leaves THEN onLeave still applies', async () => {
		const large = discord.state.requireGuild(largeGuildId);
		const leaver = [...large.members.keys()].filter((id) => id !== discord.botUser.id && id !== large.ownerId).at(-1)!;
		expect(guild(largeGuildId).members.cache.has(leaver)).to.equal(false);
		kaltura.state.addUser({
			id: `discord_${leaver}`,
			status: 1,
			partnerData: JSON.stringify({ discord: { userId: leaver, guilds: { [largeGuildId]: { kalturaRole: 'viewer' } } } })
		});
		await bot.guildConfig.set(largeGuildId, 'user-sync.onLeave', 'block');
		discord.memberLeave(largeGuildId, leaver);
		const deadline = Date.now() + 5000;
		while (userOf(`discord_${leaver}`)!.status !== 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
		expect(userOf(`discord_${leaver}`)!.status).to.equal(0);
	});

	it('GIVEN Kaltura refuses every user THEN the pass stops after 25 failures in a row, says why, and leaves no checkpoint', async () => {
		kaltura.faults.error('SERVICE_FORBIDDEN', { match: { service: 'user', action: 'add' }, args: { SERVICE: 'user->add' }, times: 'always' });
		const service = userSync.services();
		const { pass } = service.start(guild(crowdGuildId), await settingsOf(crowdGuildId), 'command');
		const summary = await pass.done;
		expect(summary.stoppedBecause).to.equal(
			'25 members in a row could not be synced. The last error: The bot is not allowed to do that on this Kaltura account.'
		);
		expect(summary.counts.failed).to.be.at.least(25).and.below(40);
		expect(await service.store.checkpoint(crowdGuildId)).to.equal(undefined);
		expect(service.running(crowdGuildId)).to.equal(undefined);
	});

	it('GIVEN a pass running THEN a second start gets the running pass back, and turning the plugin off stops it', async () => {
		kaltura.faults.latency(5);
		const service = userSync.services();
		const settings = await settingsOf(crowdGuildId);
		const first = service.start(guild(crowdGuildId), settings, 'command');
		const second = service.start(guild(crowdGuildId), settings, 'command');
		expect(first.started).to.equal(true);
		expect(second).to.deep.equal({ started: false, pass: first.pass });

		await bot.guildConfig.set(crowdGuildId, 'plugins.user-sync.enabled', false);
		const summary = await first.pass.done;
		await bot.guildConfig.set(crowdGuildId, 'plugins.user-sync.enabled', true);
		expect(summary.stoppedBecause).to.equal('the user-sync plugin was turned off in this server.');
		expect(summary.counts.created + summary.counts.unchanged).to.equal(100);
	});

	it('GIVEN the bot shuts down mid-pass THEN the pass keeps its checkpoint and the next one carries on from it', async () => {
		// Every member has something to write, so the pass is still writing when the bot shuts down: unchanged members are
		// all recorded at once, right after the list, and a pass's first batch of writes (25) is sent alone before the others.
		for (const [key, user] of kaltura.state.users) if (String(user.partnerData ?? '').includes(crowdGuildId)) kaltura.state.users.delete(key);
		kaltura.faults.latency(100);
		const before = userSync.services();
		const { pass } = before.start(guild(crowdGuildId), await settingsOf(crowdGuildId), 'command');
		while ((pass.progress().done ?? 0) < 25) await new Promise((done) => setTimeout(done, 5));
		await bot.pluginLifecycle.stop(userSync.name);
		const paused = await pass.done;
		expect(paused.stoppedBecause).to.equal('the bot is shutting down; the pass carries on when it starts again.');
		expect(() => userSync.services()).to.throw(/not running/);

		// Read as the plugin's start hook finds it: in the plugin's own storage namespace.
		const checkpoint = await new UserSyncStore(userSync.storage()).checkpoint(crowdGuildId);
		expect(checkpoint!.completed).to.be.at.least(25);
		// Starting again carries on the interrupted pass by itself.
		await bot.pluginLifecycle.start(userSync.name);
		const after = userSync.services();
		expect(after).to.not.equal(before);
		expect(after.running(crowdGuildId)?.trigger).to.equal('startup');
		const resumed = await after.start(guild(crowdGuildId), await settingsOf(crowdGuildId), 'command').pass.done;
		expect(resumed.resumedFrom).to.equal(checkpoint!.completed);
		// 150 members and the owner.
		expect(resumed.total).to.equal(151);
		expect(resumed.counts.created + resumed.counts.unchanged + resumed.counts.updated).to.equal(151);
		expect(resumed.counts.failed).to.equal(0);
	});

	it('GIVEN the schedule THEN a guild is first only watched, and its pass starts one interval later', async () => {
		const service = userSync.services();
		await bot.guildConfig.set(otherGuildId, 'user-sync.reconcileIntervalMinutes', 60);
		const twoHoursAgo = Date.now() - 2 * 60 * 60_000;
		await service.tick(twoHoursAgo);
		expect(service.running(otherGuildId)).to.equal(undefined);

		await service.tick();
		const pass = service.running(otherGuildId);
		expect(pass?.trigger).to.equal('schedule');
		const summary = await pass!.done;
		expect(summary.total, 'the member and the owner').to.equal(2);
		expect(summary.stoppedBecause).to.equal(undefined);

		await service.tick();
		expect(service.running(otherGuildId), 'not due again right after').to.equal(undefined);
	});

	it('GIVEN two processes holding a guild whose pass is due THEN only one of them runs it this interval', async () => {
		const runsStore = new LocalLeaseStore();
		const store = userSync.services().store;
		// Two services as two processes would have them, both seeing the guild (a shard moving between them), one cluster's runs.
		const [first, second] = ['a', 'b'].map(
			(holder) =>
				new UserSyncService(bot.client, store, 'user-sync', (guildId, intervalMs) =>
					new PeriodicRuns(runsStore, 'cluster:', holder).claim(`user-sync:pass:${guildId}`, intervalMs)
				)
		);
		const later = Date.now() + 3 * 60 * 60_000;
		await Promise.all([first!.tick(later), second!.tick(later)]);
		const passes = [first!.running(otherGuildId), second!.running(otherGuildId)].filter((pass) => pass !== undefined);
		expect(passes, 'passes started for the guild').to.have.lengthOf(1);
		await passes[0]!.done;
		await Promise.all([first!.dispose(), second!.dispose()]);
	});

	it('GIVEN the whole run THEN no KS or secret reached the log', () => {
		const text = bot.log.text();
		expect(text).to.not.match(/djJ8[\w-]{20,}/);
		for (const secret of [...Object.values(TEST_SECRETS), discord.token]) expect(text).to.not.include(secret);
	});
});
