import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import userSync from '../../../plugins/user-sync/plugin.js';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';
import { waitUntil } from '../../helpers/wait-until.js';

const PARTNER_ID = 4321;
const PREFIX = 'discord_';

interface Choices {
	choices: { name: string; value: string }[];
}

/**
 * ALLOWED_GUILD_IDS reaches what no command precondition guards: the user-sync listeners and its
 * periodic passes, and autocomplete (Sapphire calls `autocompleteRun` without preconditions). A server
 * outside the list gets nothing created, updated, blocked or deleted on Kaltura, and no lookups, whatever
 * its configuration says; one inside the list with the plugin off gets no lookups either.
 */
describe('ALLOWED_GUILD_IDS covers member sync and autocomplete (Discord and Kaltura stand-ins)', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	/** Listed, user-sync and meetings on. */
	let served: { id: string; admin: string };
	/** Listed, meetings off. */
	let quiet: { id: string; admin: string };
	/** Not listed, although its configuration turns user-sync and meetings on. */
	let outside: { id: string; admin: string; leaver: string };

	before(async () => {
		discord = await DiscordStandIn.start({ privilegedIntents: { guildMembers: true } });
		const withAdmin = (name: string) => {
			const guild = discord.addGuild({ name });
			const admins = discord.addRole(guild.id, {
				name: 'Admins',
				permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents,
				position: 1
			}).id;
			return { id: guild.id, admin: discord.addMember(guild.id, { user: { username: `${name}-admin` }, roles: [admins] }).user.id };
		};
		served = withAdmin('served');
		quiet = withAdmin('quiet');
		const outsider = withAdmin('outside');
		outside = { ...outsider, leaver: discord.addMember(outsider.id, { user: { username: 'leaver' } }).user.id };

		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		// The leaver has a Kaltura user already (from before the operator dropped the server from the list).
		kaltura.state.addUser({ id: `${PREFIX}${outside.leaver}`, firstName: 'leaver' });
		bot = await startBotOnStandIns(
			{ discord, kaltura },
			{ env: { DISCORD_PRIVILEGED_INTENTS: 'GuildMembers', ALLOWED_GUILD_IDS: `${served.id},${quiet.id}` } }
		);
		// Set straight in the store: no command runs in a server outside the list, but its stored
		// configuration may say anything (it was set while the server was listed, or by hand).
		for (const guildId of [served.id, outside.id]) {
			await bot.guildConfig.set(guildId, 'plugins.user-sync.enabled', true);
			await bot.guildConfig.set(guildId, 'plugins.meetings.enabled', true);
			await bot.guildConfig.set(guildId, 'user-sync.reconcileIntervalMinutes', 0);
		}
		await bot.guildConfig.set(outside.id, 'user-sync.onLeave', 'delete');
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	const userCallsFor = (discordUserId: string) =>
		kaltura.stats.callsTo('user').filter((call) => JSON.stringify(call.params).includes(`${PREFIX}${discordUserId}`));
	const scheduleCalls = () => kaltura.stats.callsTo('scheduleevent').length;

	describe('user-sync', () => {
		it('GIVEN a member joins a server outside the list THEN no Kaltura user is looked up or created; in a listed one it is', async () => {
			const stranger = discord.memberJoin(outside.id, { user: { username: 'stranger' } }).user.id;
			// Joined after the stranger: once this member's user exists, the stranger's join has been handled too.
			const local = discord.memberJoin(served.id, { user: { username: 'local' } }).user.id;
			await waitUntil(() => kaltura.state.getUser(`${PREFIX}${local}`), 'the listed server’s member on Kaltura');
			await new Promise((done) => setTimeout(done, 300));
			expect(userCallsFor(stranger)).to.deep.equal([]);
			expect(kaltura.state.getUser(`${PREFIX}${stranger}`)).to.equal(undefined);
		});

		it('GIVEN a member leaves a server outside the list with onLeave delete THEN their Kaltura user is left alone', async () => {
			discord.memberLeave(outside.id, outside.leaver);
			const local = discord.memberJoin(served.id, { user: { username: 'after-leave' } }).user.id;
			await waitUntil(() => kaltura.state.getUser(`${PREFIX}${local}`), 'the listed server’s member on Kaltura');
			await new Promise((done) => setTimeout(done, 300));
			expect(userCallsFor(outside.leaver)).to.deep.equal([]);
			expect(kaltura.state.getUser(`${PREFIX}${outside.leaver}`)).to.not.equal(undefined);
		});

		it('GIVEN a periodic pass is due in a server outside the list and in a listed one THEN the schedule starts it only in the listed one', async () => {
			for (const guildId of [outside.id, served.id]) await bot.guildConfig.set(guildId, 'user-sync.reconcileIntervalMinutes', 60);
			const service = userSync.services();
			// The first tick starts watching the guilds (a first pass is never a surprise); a year on, every
			// watched guild with an interval is due, and one pass starts per tick.
			await service.tick(Date.now());
			await service.tick(Date.now() + 365 * 24 * 3_600_000);
			expect(service.running(outside.id)).to.equal(undefined);
			const pass = service.running(served.id);
			expect(pass?.trigger).to.equal('schedule');
			await pass!.done;
			// With the listed server's passes off, nothing else is due but the server outside the list.
			await bot.guildConfig.set(served.id, 'user-sync.reconcileIntervalMinutes', 0);
			await service.tick(Date.now() + 365 * 24 * 3_600_000);
			expect(service.running(outside.id)).to.equal(undefined);
			expect(userCallsFor(outside.admin)).to.deep.equal([]);
			expect(userCallsFor(served.admin)).to.not.deep.equal([]);
			for (const guildId of [outside.id, served.id]) await bot.guildConfig.set(guildId, 'user-sync.reconcileIntervalMinutes', 0);
		});
	});

	describe('autocomplete', () => {
		const suggest = async (guildId: string, memberId: string, name: string, subcommand: string, focused: string, typed = '') => {
			const handle = discord.autocomplete({ guildId, memberId, name, subcommand, options: { [focused]: typed }, focused });
			return ((await handle.waitForCallback()).data as Choices).choices;
		};

		it('GIVEN /meeting end typed in a server outside the list THEN no suggestions, and Kaltura is not asked', async () => {
			const before = scheduleCalls();
			expect(await suggest(outside.id, outside.admin, 'meeting', 'end', 'meeting')).to.deep.equal([]);
			expect(await suggest(outside.id, outside.admin, 'meeting', 'join', 'meeting', 'a')).to.deep.equal([]);
			expect(scheduleCalls()).to.equal(before);
		});

		it('GIVEN /meeting join typed in a listed server with meetings off THEN no suggestions, and Kaltura is not asked', async () => {
			const before = scheduleCalls();
			expect(await suggest(quiet.id, quiet.admin, 'meeting', 'join', 'meeting')).to.deep.equal([]);
			expect(scheduleCalls()).to.equal(before);
		});

		it('GIVEN a listed server with meetings on THEN its meetings are suggested, looked up on Kaltura', async () => {
			const started = await discord
				.runSlashCommand({
					guildId: served.id,
					memberId: served.admin,
					name: 'meeting',
					subcommand: 'start',
					options: { type: 'meeting', title: 'Office hours' }
				})
				.waitForReply(15_000);
			const id = /Kaltura meeting `(\d+)`/.exec(started.content)?.[1];
			expect(id, started.content).to.be.a('string');
			const before = scheduleCalls();
			expect((await suggest(served.id, served.admin, 'meeting', 'join', 'meeting', 'office')).map((choice) => choice.value)).to.deep.equal([
				id
			]);
			expect(scheduleCalls()).to.be.greaterThan(before);
		});

		it('GIVEN /roles and /plugins typed in a server outside the list THEN no suggestions; in a listed one there are', async () => {
			expect(await suggest(outside.id, outside.admin, 'roles', 'default', 'kaltura-role')).to.deep.equal([]);
			expect(await suggest(outside.id, outside.admin, 'plugins', 'enable', 'plugin')).to.deep.equal([]);
			expect(await suggest(served.id, served.admin, 'roles', 'default', 'kaltura-role')).to.not.deep.equal([]);
			expect(await suggest(served.id, served.admin, 'plugins', 'enable', 'plugin')).to.not.deep.equal([]);
		});
	});
});
