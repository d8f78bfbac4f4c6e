import { container } from '@sapphire/framework';
import { expect } from 'chai';
import type { Guild } from 'discord.js';
import kaltura from 'kaltura-client';
import { PARTNER_DATA_LIMIT } from '../lib/kaltura-user-profile.js';
import { USER_LIST_IDS_PER_CALL } from '../lib/kaltura-users.js';
import type { PassSummary } from '../lib/pass-types.js';
import { syncMember } from '../lib/sync-member.js';
import userSync from '../plugin.js';
import { adminBatchPrivileges } from '../../../src/core/kaltura/kaltura-facade.js';
import { DiscordStandIn } from '../../../tests/harness/discord/index.js';
import { KalturaStandIn } from '../../../tests/harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../../tests/helpers/test-bot.js';

const PREFIX = 'discord_';
const MEMBERS = 1000;

interface KalturaUser {
	id: string;
	screenName?: string;
	partnerData?: string;
	status?: number;
}

/** A `user.list` answer as the stand-in gives it; the raw batch answers `unknown`. */
interface UserList {
	objects: { id: string }[];
}

/**
 * The bulk reconciliation pass against the Kaltura stand-in, counting the requests it makes: users read
 * a page at a time with `user.list` (`idIn`), only what differs written, in `multirequest` batches.
 */
describe('user-sync bulk reconciliation: requests per pass, per-item failures, partnerData at its limit', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kalturaStandIn: KalturaStandIn;
	let bot: TestBot;
	let guildId: string;
	let smallGuildId: string;
	let memberIds: string[];

	before(async () => {
		// Several passes over the same server follow one another here; Discord's one-list-per-30-s rule is not what is tested.
		discord = await DiscordStandIn.start({ privilegedIntents: { guildMembers: true }, memberListWindowMs: 0 });
		const guild = discord.addGuild({ name: 'Thousand' });
		guildId = guild.id;
		for (let index = 1; index < MEMBERS; index++) discord.addMember(guildId, { user: { username: `member-${index}` } });
		memberIds = [...discord.state.requireGuild(guildId).members.keys()].filter((id) => id !== discord.botUser.id);
		smallGuildId = discord.addGuild({ name: 'Small' }).id;
		for (let index = 0; index < 40; index++) discord.addMember(smallGuildId, { user: { username: `small-${index}` } });

		kalturaStandIn = await KalturaStandIn.start({ partnerId: 4242, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		bot = await startBotOnStandIns(
			{ discord, kaltura: kalturaStandIn },
			{ env: { DISCORD_PRIVILEGED_INTENTS: 'GuildMembers', KALTURA_TIMEOUT_MS: '600' } }
		);
		for (const id of [guildId, smallGuildId]) {
			await bot.guildConfig.set(id, 'plugins.user-sync.enabled', true);
			await bot.guildConfig.set(id, 'user-sync.reconcileIntervalMinutes', 0);
		}
	});

	after(async () => {
		await bot?.stop();
		await kalturaStandIn?.stop();
		await discord?.stop();
	});

	afterEach(() => kalturaStandIn.faults.clear());

	const guildOf = (id: string): Guild => bot.client.guilds.cache.get(id)!;
	const userOf = (discordUserId: string) => kalturaStandIn.state.getUser(`${PREFIX}${discordUserId}`) as KalturaUser | undefined;

	async function pass(id = guildId): Promise<{ summary: PassSummary; requests: number }> {
		kalturaStandIn.stats.reset();
		const settings = await userSync.settings(id);
		const summary = await userSync.services().start(guildOf(id), settings, 'command').pass.done;
		return { summary, requests: kalturaStandIn.stats.requests };
	}

	it('GIVEN 1,000 members Kaltura does not know THEN one pass creates them all in about 1000/50 requests', async () => {
		const { summary, requests } = await pass();
		expect(summary.stoppedBecause).to.equal(undefined);
		expect(summary.counts).to.deep.equal({ created: MEMBERS, updated: 0, unchanged: 0, failed: 0 });
		expect(kalturaStandIn.stats.count('user', 'add')).to.equal(MEMBERS);
		// Two list pages of 500, a probe of 25, then batches of 50; a KS now and then.
		expect(requests).to.be.at.most(MEMBERS / 50 + 6);
		expect(memberIds.filter((id) => userOf(id) === undefined)).to.deep.equal([]);
		for (const call of kalturaStandIn.stats.callsTo('user', 'list')) {
			const ids = String((call.params.filter as { idIn?: string }).idIn).split(',');
			expect(ids.length, 'ids per user.list (Sphinx keeps 150)').to.be.at.most(USER_LIST_IDS_PER_CALL);
		}
	});

	it('GIVEN nothing changed THEN the pass costs a few list requests and writes nothing', async () => {
		const { summary, requests } = await pass();
		expect(summary.counts).to.deep.equal({ created: 0, updated: 0, unchanged: MEMBERS, failed: 0 });
		expect(requests).to.be.at.most(3);
		expect(
			kalturaStandIn.stats.count('user', 'add') + kalturaStandIn.stats.count('user', 'update') + kalturaStandIn.stats.count('user', 'get')
		).to.equal(0);
	});

	it('GIVEN some users changed or deleted on Kaltura THEN only those are written, in batches', async () => {
		const renamed = memberIds.slice(100, 130);
		const deleted = memberIds.slice(700, 705);
		for (const id of renamed) kalturaStandIn.state.getUser(`${PREFIX}${id}`)!.screenName = 'someone else';
		// user.delete leaves a DELETED (2) kuser that lists do not show and user.add replaces.
		for (const id of deleted) kalturaStandIn.state.getUser(`${PREFIX}${id}`)!.status = 2;

		const { summary, requests } = await pass();
		expect(summary.counts).to.deep.equal({ created: deleted.length, updated: renamed.length, unchanged: MEMBERS - 35, failed: 0 });
		expect(requests).to.be.at.most(6);
		expect(kalturaStandIn.stats.callsTo('user', 'update').every((call) => call.multirequest)).to.equal(true);
		for (const id of [...renamed, ...deleted]) expect(userOf(id)).to.include({ screenName: `member-${memberIds.indexOf(id)}`, status: 1 });
	});

	it('GIVEN one write of a batch refused THEN that member alone fails, and the others are written', async () => {
		const changed = memberIds.slice(200, 210);
		for (const id of changed) kalturaStandIn.state.getUser(`${PREFIX}${id}`)!.screenName = 'stale';
		kalturaStandIn.faults.error('INVALID_FIELD_VALUE', {
			match: { service: 'user', action: 'update' },
			args: { PROP_NAME: 'screenName' },
			times: 1
		});

		const { summary } = await pass();
		expect(summary.counts).to.deep.equal({ created: 0, updated: 9, unchanged: MEMBERS - 10, failed: 1 });
		expect(summary.failures).to.deep.equal([
			{ discordUserId: changed[0], code: 'INVALID_FIELD_VALUE', message: 'Kaltura refused the request (INVALID_FIELD_VALUE).' }
		]);
		expect(changed.filter((id) => userOf(id)!.screenName === 'stale')).to.deep.equal([changed[0]]);
	});

	it('GIVEN an add of a batch refused as a duplicate (the list lagging Kaltura) THEN that member is synced on its own', async () => {
		const returning = memberIds.slice(300, 303);
		for (const id of returning) kalturaStandIn.state.getUser(`${PREFIX}${id}`)!.status = 2;
		kalturaStandIn.faults.error('DUPLICATE_USER_BY_ID', { match: { service: 'user', action: 'add' }, times: 1 });

		const { summary } = await pass();
		// The member whose update was refused above is brought up to date now.
		expect(summary.counts).to.deep.equal({ created: 3, updated: 1, unchanged: MEMBERS - 4, failed: 0 });
		expect(kalturaStandIn.stats.callsTo('user', 'add').map((call) => call.multirequest)).to.deep.equal([true, true, true, false]);
	});

	it('GIVEN Kaltura refuses every write THEN one probe of 25 is all it sends before the pass stops', async () => {
		const fresh = await pass(smallGuildId).then(() => undefined);
		expect(fresh).to.equal(undefined);
		for (const id of discord.state.requireGuild(smallGuildId).members.keys()) {
			const user = kalturaStandIn.state.getUser(`${PREFIX}${id}`);
			if (user) user.status = 2;
		}
		kalturaStandIn.faults.error('SERVICE_FORBIDDEN', {
			match: { service: 'user', action: 'add' },
			args: { SERVICE: 'user->add' },
			times: 'always'
		});
		const { summary, requests } = await pass(smallGuildId);
		expect(summary.stoppedBecause).to.match(/^25 members in a row could not be synced/);
		expect(kalturaStandIn.stats.count('user', 'add')).to.equal(25);
		expect(requests).to.be.at.most(3);
	});

	describe('partnerData at its 4,096-character limit', () => {
		/** Guild ids of servers the member is in besides this one, oldest (lowest) first. */
		const otherGuilds = Array.from({ length: 120 }, (_, index) => String(200000000000000000n + BigInt(index)));

		it('GIVEN the stand-in THEN a longer partnerData is cut to 4,096 characters, as Kaltura’s column does', async () => {
			const id = `${PREFIX}column-test`;
			kalturaStandIn.state.addUser({ id });
			await container.kaltura.admin({ actions: ['user.update'], why: 'test' }, () =>
				kaltura.services.user!.update!(id, new kaltura.objects.User!({ partnerData: 'x'.repeat(5000) }))
			);
			expect((kalturaStandIn.state.getUser(id) as unknown as KalturaUser).partnerData).to.have.lengthOf(PARTNER_DATA_LIMIT);
		});

		it('GIVEN a member in enough servers to pass the limit THEN what is written fits, keeps this server and foreign keys, and drops the oldest servers', async () => {
			const memberId = memberIds[400]!;
			const guilds = Object.fromEntries(otherGuilds.map((id) => [id, { kalturaRole: 'viewer' }]));
			const before = JSON.stringify({ crm: { account: 'A-1' }, discord: { userId: memberId, guilds } });
			expect(before.length, 'the seed is past the limit').to.be.above(PARTNER_DATA_LIMIT);
			// Seeded directly (a seed is not cut): as if written before the bound existed, by a Kaltura that kept it whole.
			kalturaStandIn.state.getUser(`${PREFIX}${memberId}`)!.partnerData = before;

			const outcome = await syncMember(await guildOf(guildId).members.fetch(memberId));
			expect(outcome).to.deep.include({ kind: 'updated', fields: ['partnerData'] });
			const written = userOf(memberId)!.partnerData!;
			expect(written.length).to.be.at.most(PARTNER_DATA_LIMIT);
			const data = JSON.parse(written) as { crm: unknown; discord: { guilds: Record<string, unknown> } };
			expect(data.crm).to.deep.equal({ account: 'A-1' });
			const kept = Object.keys(data.discord.guilds);
			expect(kept).to.include(guildId);
			const keptOthers = otherGuilds.filter((id) => kept.includes(id));
			expect(keptOthers.length).to.be.above(50);
			expect(keptOthers, 'the newest are kept').to.deep.equal(otherGuilds.slice(otherGuilds.length - keptOthers.length));

			// A second sync finds it up to date: the bound is stable.
			expect(await syncMember(await guildOf(guildId).members.fetch(memberId))).to.deep.include({ kind: 'unchanged' });
		});

		it('GIVEN foreign keys that fill the column on their own THEN partnerData is left untouched', async () => {
			const memberId = memberIds[401]!;
			const foreign = JSON.stringify({ notes: 'n'.repeat(PARTNER_DATA_LIMIT - 20) });
			kalturaStandIn.state.getUser(`${PREFIX}${memberId}`)!.partnerData = foreign;
			kalturaStandIn.stats.reset();
			const outcome = await syncMember(await guildOf(guildId).members.fetch(memberId));
			expect(outcome).to.deep.include({ kind: 'unchanged' });
			expect(kalturaStandIn.stats.count('user', 'update')).to.equal(0);
			expect(userOf(memberId)!.partnerData).to.equal(foreign);
		});
	});

	describe('batches and urirestrict', () => {
		it('GIVEN a batch session THEN its urirestrict adds the multirequest path Kaltura checks, and nothing else', () => {
			expect(adminBatchPrivileges({ actions: ['user.list'], why: 'test' }, 'https://kaltura.example/proxy/')).to.equal(
				'urirestrict:/proxy/api_v3/service/user/action/list|/proxy/api_v3/service/multirequest'
			);
		});

		it('GIVEN a KS limited to the actions’ own paths THEN Kaltura refuses it in a multirequest, which is why the batch session has its own', async () => {
			const ks = kalturaStandIn.mintKs({ userId: 'kaltura-discord-bot', privileges: 'urirestrict:/api_v3/service/user/action/list' });
			const response = await fetch(`${kalturaStandIn.serviceUrl}/api_v3/service/multirequest`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ format: 1, ks, 0: { service: 'user', action: 'list' } })
			});
			const [answer] = (await response.json()) as [{ code?: string }];
			expect(answer.code).to.equal('INVALID_KS');
		});

		const LIST_SCOPE = { actions: ['user.list'], why: 'test' } as const;
		const listOne = () => [kaltura.services.user!.listAction!(new kaltura.objects.UserFilter!({ idIn: `${PREFIX}${memberIds[0]}` }))];

		it('GIVEN Kaltura does not answer a batch THEN it fails with a timeout instead of hanging', async () => {
			kalturaStandIn.faults.timeout({ match: { service: 'multirequest' } });
			const started = Date.now();
			const failure = await container.kaltura.adminBatch(LIST_SCOPE, listOne).then(
				() => undefined,
				(error: unknown) => error
			);
			expect(failure).to.include({ name: 'KalturaError', code: 'TIMEOUT' });
			expect(Date.now() - started).to.be.below(3000);
		});

		it('GIVEN every call of a batch rate-limited THEN the batch is retried whole, as a single call is', async () => {
			kalturaStandIn.stats.reset();
			kalturaStandIn.faults.actionBlocked({ match: { service: 'user', action: 'list' }, times: 1 });
			const outcomes = await container.kaltura.adminBatch(LIST_SCOPE, listOne);
			expect(outcomes).to.have.lengthOf(1);
			expect(outcomes[0]!.ok && (outcomes[0]!.value as UserList).objects.map((user) => user.id)).to.deep.equal([`${PREFIX}${memberIds[0]}`]);
			expect(kalturaStandIn.stats.count('user', 'list')).to.equal(2);
		});

		it('GIVEN an idIn of 200 existing users THEN the stand-in, like Kaltura’s search index, finds only the first 150', async () => {
			const ids = memberIds.slice(0, 200).map((id) => `${PREFIX}${id}`.toUpperCase());
			const [outcome] = await container.kaltura.adminBatch(LIST_SCOPE, () => [
				kaltura.services.user!.listAction!(
					new kaltura.objects.UserFilter!({ idIn: ids.join(',') }),
					new kaltura.objects.FilterPager!({ pageSize: 500 })
				)
			]);
			const found = outcome!.ok ? (outcome!.value as UserList).objects.map((user) => user.id.toUpperCase()) : [];
			expect(found).to.have.members(ids.slice(0, 150));
		});

		it('GIVEN a batch with a request outside its scope THEN nothing is sent', async () => {
			kalturaStandIn.stats.reset();
			let refused: unknown;
			try {
				await container.kaltura.adminBatch({ actions: ['user.list'], why: 'test' }, () => [kaltura.services.user!.deleteAction!('someone')]);
			} catch (error) {
				refused = error;
			}
			expect(refused).to.be.instanceOf(TypeError);
			expect(kalturaStandIn.stats.requests).to.equal(0);
		});
	});
});
