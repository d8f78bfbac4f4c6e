import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { kalturaRoleOf } from '../../../plugins/role-mapping/api.js';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { CONFIG_DIRECTORY } from '../../../src/core/paths.js';
import { DiscordStandIn, type InteractionHandle } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const PARTNER_ID = 6262;
const REFUSED = 'This Kaltura user cannot be linked.';
const NOT_A_MEMBER = 'This user is not a member of this server; only members can be linked to a Kaltura user.';

/**
 * What a server admin can write through `/config set`, the config API and the link command and API, on
 * the real core and plugins against the Discord and Kaltura stand-ins: no `__proto__` past the operator's
 * role bounds, no second claim on one Kaltura user by a change of case, no link of someone who is not a member.
 */
describe('Config writes and identity links stay within their bounds', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let school: { id: string; admin: string; alice: string; victim: string };
	let college: { id: string; admin: string; mallory: string; carol: string };
	let stranger: string;

	before(async () => {
		discord = await DiscordStandIn.start();
		const schoolGuild = discord.addGuild({ name: 'School' });
		const schoolAdmins = discord.addRole(schoolGuild.id, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
		school = {
			id: schoolGuild.id,
			admin: discord.addMember(schoolGuild.id, { user: { username: 'principal' }, roles: [schoolAdmins] }).user!.id,
			alice: discord.addMember(schoolGuild.id, { user: { username: 'alice' } }).user!.id,
			victim: discord.addMember(schoolGuild.id, { user: { username: 'victor' } }).user!.id
		};
		const collegeGuild = discord.addGuild({ name: 'College' });
		const deans = discord.addRole(collegeGuild.id, { name: 'Deans', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
		college = {
			id: collegeGuild.id,
			admin: discord.addMember(collegeGuild.id, { user: { username: 'dean' }, roles: [deans] }).user!.id,
			mallory: discord.addMember(collegeGuild.id, { user: { username: 'mallory' } }).user!.id,
			carol: discord.addMember(collegeGuild.id, { user: { username: 'carol' } }).user!.id
		};
		// A Discord user in neither server.
		stranger = discord.addUser({ username: 'stranger' }).id;

		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		kaltura.state.addUser({ id: 'jane@school.example', firstName: 'Jane' });
		kaltura.state.addUser({ id: 'carol@school.example', firstName: 'Carol' });
		// The victim used the bot already: their derived Kaltura user exists.
		kaltura.state.addUser({ id: `discord_${school.victim}` });

		// The operator configures role mapping for the school in a file, as docs/plugins/role-mapping.md shows.
		const configDirectory = mkdtempSync(join(tmpdir(), 'config-link-bounds-'));
		copyFileSync(join(CONFIG_DIRECTORY, 'default_config.json'), join(configDirectory, 'default_config.json'));
		mkdirSync(join(configDirectory, 'overrides'));
		writeFileSync(join(configDirectory, 'overrides', `${school.id}.json`), JSON.stringify({ 'role-mapping': { defaultRole: 'viewer' } }));

		bot = await startBotOnStandIns(
			{ discord, kaltura },
			{
				// Broad on purpose: upper-case letters and derived-looking ids match, so only the bot's own checks refuse.
				env: { KALTURA_LINKABLE_USER_PATTERN: '[A-Za-z.]+@[A-Za-z.]+|[A-Za-z]+_\\d+' },
				configDirectory
			}
		);
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	const slash = (guildId: string, as: string, name: string, subcommand: string, options: Record<string, string> = {}): InteractionHandle =>
		discord.runSlashCommand({ guildId, memberId: as, name, subcommand, options });
	const api = (guildId: string, as: string, path: string, init: RequestInit = {}) => {
		const token = container.apiTokens.issue({ userId: as, guildId, scope: [GUILD_MANAGE_SCOPE] });
		return fetch(`${bot.apiUrl()}/guilds/${guildId}${path}`, {
			...init,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
		});
	};
	/** The Kaltura role of a member with no mapped role (alice), as role mapping's api.ts gives it to other plugins: the default role in effect. */
	const defaultRole = async () => {
		const alice = await (await container.client.guilds.fetch(school.id)).members.fetch(school.alice);
		return (await kalturaRoleOf(alice)).role;
	};

	describe('reserved keys in config values', () => {
		it('GIVEN /config set with {"__proto__":{"defaultRole":"admin"}} THEN it is refused and members do not become Kaltura admins', async () => {
			const reply = await slash(school.id, school.admin, 'config', 'set', {
				key: 'role-mapping',
				value: '{"__proto__":{"defaultRole":"admin"}}'
			}).waitForReply();
			expect(reply.content).to.include('`__proto__` is not a valid key').and.include('role-mapping.__proto__');
			const nested = await slash(school.id, school.admin, 'config', 'set', {
				key: 'role-mapping.mappings',
				value: '{"1":{"constructor":{"prototype":{}}}}'
			}).waitForReply();
			expect(nested.content).to.include('`constructor` is not a valid key');
			container.guildConfig.invalidate(school.id);
			expect(await defaultRole()).to.equal('viewer');
			expect(await container.guildConfig.runtimeOverride(school.id)).to.deep.equal({});
		});

		for (const [where, body] of [
			['at the top', '{"__proto__":{"role-mapping":{"defaultRole":"admin"}}}'],
			['inside a section', '{"role-mapping":{"__proto__":{"defaultRole":"admin"}}}'],
			['inside a list', '{"role-mapping":{"mappings":{"1":[{"__proto__":{"x":1}}]}}}']
		] as const) {
			it(`GIVEN a config PATCH with __proto__ ${where} THEN it is refused 422 and nothing changes`, async () => {
				const response = await api(school.id, school.admin, '/config', { method: 'PATCH', body });
				expect(response.status).to.equal(422);
				const { error } = (await response.json()) as { error: { code: string; message: string } };
				expect(error.code).to.equal('invalid_config');
				expect(error.message).to.include('`__proto__` is not a valid key');
				container.guildConfig.invalidate(school.id);
				expect(await defaultRole()).to.equal('viewer');
				expect(await container.guildConfig.runtimeOverride(school.id)).to.deep.equal({});
			});
		}
	});

	describe('Kaltura user ids are one user whatever their case', () => {
		it('GIVEN jane@ linked in one server THEN Jane@ is refused for another Discord user in another, by command and API', async () => {
			expect(
				(
					await slash(school.id, school.admin, 'kaltura-user', 'link', {
						member: school.alice,
						'kaltura-user-id': 'jane@school.example'
					}).waitForReply()
				).content
			).to.include('now acts as Kaltura user');
			const command = await slash(college.id, college.admin, 'kaltura-user', 'link', {
				member: college.mallory,
				'kaltura-user-id': 'Jane@School.Example'
			}).waitForReply();
			expect(command.content).to.equal(REFUSED);
			const put = await api(college.id, college.admin, `/identities/${college.mallory}`, {
				method: 'PUT',
				body: JSON.stringify({ kalturaUserId: 'JANE@school.example' })
			});
			expect(put.status).to.equal(422);
			expect(await container.identity.kalturaUserIdOf(college.id, college.mallory)).to.equal(`discord_${college.mallory}`);
		});

		it('GIVEN the same person THEN they may be linked under another spelling, which is kept as typed', async () => {
			const put = await api(school.id, school.admin, `/identities/${school.alice}`, {
				method: 'PUT',
				body: JSON.stringify({ kalturaUserId: 'Jane@School.Example' })
			});
			expect(put.status).to.equal(200);
			expect(await put.json()).to.include({ kalturaUserId: 'Jane@School.Example', linked: true });
			expect((await container.identity.claimOf('jane@school.example'))?.discordUserId).to.equal(school.alice);
		});

		it('GIVEN another member’s derived id in upper case THEN it cannot be linked', async () => {
			const reply = await slash(college.id, college.admin, 'kaltura-user', 'link', {
				member: college.mallory,
				'kaltura-user-id': `DISCORD_${school.victim}`
			}).waitForReply();
			expect(reply.content).to.equal(REFUSED);
			expect(await container.identity.kalturaUserIdOf(college.id, college.mallory)).to.equal(`discord_${college.mallory}`);
		});
	});

	describe('only members can be linked', () => {
		it('GIVEN a Discord user who is not a member THEN the API answers 404 unknown_member and the Kaltura user stays free for other servers', async () => {
			const put = await api(school.id, school.admin, `/identities/${college.carol}`, {
				method: 'PUT',
				body: JSON.stringify({ kalturaUserId: 'carol@school.example' })
			});
			expect(put.status).to.equal(404);
			expect(await put.json()).to.deep.equal({ error: { code: 'unknown_member', message: NOT_A_MEMBER } });
			expect(await container.identity.claimOf('carol@school.example')).to.equal(undefined);
			const inCollege = await slash(college.id, college.admin, 'kaltura-user', 'link', {
				member: college.carol,
				'kaltura-user-id': 'carol@school.example'
			}).waitForReply();
			expect(inCollege.content).to.include('now acts as Kaltura user `carol@school.example`');
		});

		it('GIVEN /kaltura-user link naming a user in no server THEN it says so and links nothing', async () => {
			const reply = await slash(school.id, school.admin, 'kaltura-user', 'link', {
				member: stranger,
				'kaltura-user-id': 'nobody@school.example'
			}).waitForReply();
			expect(reply.content).to.equal(NOT_A_MEMBER);
			expect(await container.identity.storedLinkOf(school.id, stranger)).to.equal(undefined);
		});
	});
});
