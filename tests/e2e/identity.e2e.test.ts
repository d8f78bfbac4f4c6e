import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { ApiTokenService, GUILD_MANAGE_SCOPE } from '../../src/core/auth/api-tokens.js';
import { BotProcess, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn, type InteractionHandle } from '../harness/discord/index.js';
import { KalturaStandIn } from '../harness/kaltura/index.js';

const ADMIN_SECRET = 'identity-e2e-admin-secret';
const JWT_SECRET = 'identity-e2e-jwt-secret-long-enough-for-hs256';

/** Who a member is on Kaltura and with which role: role mapping, identity links and the profile, through the bot process. */
describe('End to end: identity and role mapping', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: BotProcess;
	let guildId: string;
	let otherGuildId: string;
	let adminId: string;
	let memberId: string;
	let roles: { admins: string; teachers: string; students: string };

	before(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'School' });
		guildId = guild.id;
		roles = {
			admins: discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 3 }).id,
			teachers: discord.addRole(guildId, { name: 'Teachers', position: 2 }).id,
			students: discord.addRole(guildId, { name: 'Students', position: 1 }).id
		};
		adminId = discord.addMember(guildId, { user: { username: 'principal' }, roles: [roles.admins] }).user!.id;
		memberId = discord.addMember(guildId, { user: { username: 'pupil' }, roles: [roles.students, roles.teachers] }).user!.id;
		// The admin also manages a second server, so a token issued there is good there and must be good nowhere else.
		const other = discord.addGuild({ name: 'Other school' });
		otherGuildId = other.id;
		const otherAdmins = discord.addRole(otherGuildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
		discord.addMember(otherGuildId, { user: adminId, roles: [otherAdmins] });
		kaltura = await KalturaStandIn.start({ partnerId: 777, adminSecret: ADMIN_SECRET });
		kaltura.state.addUser({ id: 'jane.teacher@school.example', firstName: 'Jane', lastName: 'Teacher' });
		bot = await BotProcess.start({
			env: {
				...standInEnvironment({ discord, kaltura }),
				JWT_SECRET,
				NODE_ENV: 'production',
				// The operator allows links to the school's users and a partner-defined default role (tests/e2e/operator-policy covers the refusals).
				KALTURA_LINKABLE_USER_PATTERN: '[a-z.]+@school\\.example|nobody\\.here|ghost',
				KALTURA_MAPPABLE_ROLES: 'viewer,moderator,guest-viewer'
			}
		});
	});

	after(async () => {
		if (bot) expect(await bot.stop()).to.equal(0);
		await discord?.stop();
		await kaltura?.stop();
	});

	const slash = (as: string, name: string, subcommand: string, options: Record<string, string> = {}): InteractionHandle =>
		discord.runSlashCommand({ guildId, memberId: as, name, subcommand, options });
	const profile = (as: string, target: string) =>
		discord.runUserContextMenu({ guildId, memberId: as, name: 'Kaltura profile', targetUserId: target }).waitForReply();
	const field = (reply: Awaited<ReturnType<typeof profile>>, name: string) => reply.embeds[0]!.fields!.find((entry) => entry.name === name)!.value;

	it('GIVEN no mapping THEN a member has the default role, shown in their own profile', async () => {
		const reply = await profile(memberId, memberId);
		expect(field(reply, 'Kaltura user')).to.equal(`\`discord_${memberId}\` (from the Discord id)`);
		expect(field(reply, 'Kaltura role')).to.equal('**viewer** (the default)');
		expect(field(reply, 'On Kaltura')).to.include('not created yet');
	});

	it('GIVEN mappings THEN the member’s highest mapped Discord role decides', async () => {
		expect((await slash(adminId, 'roles', 'map', { role: roles.students, 'kaltura-role': 'viewer' }).waitForReply()).content).to.include(
			'**viewer**'
		);
		expect((await slash(adminId, 'roles', 'map', { role: roles.teachers, 'kaltura-role': 'moderator' }).waitForReply()).content).to.include(
			'**moderator**'
		);
		const reply = await profile(memberId, memberId);
		expect(field(reply, 'Kaltura role')).to.equal(`**moderator**, from <@&${roles.teachers}>`);
		const list = await slash(adminId, 'roles', 'list').waitForReply();
		expect(list.embeds[0]!.description).to.include(`<@&${roles.teachers}> → **moderator**`);
	});

	it('GIVEN an unmapped role and a new default THEN they apply', async () => {
		await slash(adminId, 'roles', 'unmap', { role: roles.teachers }).waitForReply();
		await slash(adminId, 'roles', 'default', { 'kaltura-role': 'guest-viewer' }).waitForReply();
		expect(field(await profile(memberId, memberId), 'Kaltura role')).to.equal(`**viewer**, from <@&${roles.students}>`);
		expect(field(await profile(adminId, adminId), 'Kaltura role')).to.equal('**guest-viewer** (the default)');
	});

	it('GIVEN an invalid Kaltura role THEN nothing is stored and the reason is given', async () => {
		const reply = await slash(adminId, 'roles', 'map', { role: roles.teachers, 'kaltura-role': 'bad role!' }).waitForReply();
		expect(reply.content).to.match(/^Nothing was changed: must be viewer, moderator, admin or a Kaltura role system name/);
	});

	it('GIVEN another member’s profile THEN a member is refused and an admin sees it', async () => {
		expect((await profile(memberId, adminId)).content).to.include('needs the Manage Server permission');
		expect(field(await profile(adminId, memberId), 'Kaltura user')).to.include(`discord_${memberId}`);
	});

	it('GIVEN an admin links a member to an existing Kaltura user THEN the profile shows it; a missing user is refused', async () => {
		const missing = await slash(adminId, 'kaltura-user', 'link', { member: memberId, 'kaltura-user-id': 'nobody.here' }).waitForReply();
		// Refused without saying whether the id exists (see tests/e2e/operator-policy.e2e.test.ts).
		expect(missing.content).to.equal('This Kaltura user cannot be linked.');
		const linked = await slash(adminId, 'kaltura-user', 'link', {
			member: memberId,
			'kaltura-user-id': 'jane.teacher@school.example'
		}).waitForReply();
		expect(linked.content).to.equal(`<@${memberId}> now acts as Kaltura user \`jane.teacher@school.example\` in this server.`);
		const reply = await profile(memberId, memberId);
		expect(field(reply, 'Kaltura user')).to.equal(`\`jane.teacher@school.example\` (linked by <@${adminId}>)`);
		expect(field(reply, 'On Kaltura')).to.match(/^active, last synced <t:\d+:R>$/);
	});

	it('GIVEN the API THEN role mappings and identities read and write with a guild token only', async () => {
		const token = new ApiTokenService(JWT_SECRET).issue({ userId: adminId, guildId, scope: [GUILD_MANAGE_SCOPE] });
		const call = (path: string, init: RequestInit = {}) =>
			fetch(`${bot.apiUrl}/guilds/${guildId}${path}`, {
				...init,
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
			});

		expect((await fetch(`${bot.apiUrl}/guilds/${guildId}/role-mappings`)).status).to.equal(401);
		// admin is not in KALTURA_MAPPABLE_ROLES here: refused, nothing changes.
		expect((await call('/role-mappings', { method: 'PUT', body: JSON.stringify({ mappings: { [roles.teachers]: 'admin' } }) })).status).to.equal(
			422
		);
		const put = await call('/role-mappings', { method: 'PUT', body: JSON.stringify({ mappings: { [roles.teachers]: 'moderator' } }) });
		expect(put.status).to.equal(200);
		// PUT replaces the runtime mapping whole: the default set by /roles default goes back to the file's (viewer).
		expect(await put.json()).to.deep.equal({ defaultRole: 'viewer', mappings: [{ discordRoleId: roles.teachers, kalturaRole: 'moderator' }] });
		expect(field(await profile(memberId, memberId), 'Kaltura role')).to.equal(`**moderator**, from <@&${roles.teachers}>`);
		expect((await call('/role-mappings', { method: 'PUT', body: JSON.stringify({ mappings: { teachers: 'admin' } }) })).status).to.equal(400);

		const identity = await call(`/identities/${memberId}`);
		expect(await identity.json()).to.include({ kalturaUserId: 'jane.teacher@school.example', linked: true, linkedBy: adminId });
		expect((await call(`/identities/${memberId}`, { method: 'PUT', body: JSON.stringify({ kalturaUserId: 'ghost' }) })).status).to.equal(422);
		const unlinked = await call(`/identities/${memberId}`, { method: 'DELETE' });
		expect(await unlinked.json()).to.deep.equal({ userId: memberId, kalturaUserId: `discord_${memberId}`, linked: false });
	});

	it('GIVEN a token issued for another server THEN every role-mapping and identity route refuses it, and nothing changes', async () => {
		const tokens = new ApiTokenService(JWT_SECRET);
		const otherToken = tokens.issue({ userId: adminId, guildId: otherGuildId, scope: [GUILD_MANAGE_SCOPE] });
		const ownToken = tokens.issue({ userId: adminId, guildId, scope: [GUILD_MANAGE_SCOPE] });
		const call = (guild: string, token: string, path: string, init: RequestInit = {}) =>
			fetch(`${bot.apiUrl}/guilds/${guild}${path}`, {
				...init,
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
			});
		const state = async () => ({
			mappings: await (await call(guildId, ownToken, '/role-mappings')).json(),
			identity: await (await call(guildId, ownToken, `/identities/${memberId}`)).json()
		});

		// The token is good where it was issued: what follows is refused for its guild alone.
		expect((await call(otherGuildId, otherToken, '/role-mappings')).status).to.equal(200);
		const before = await state();
		const attempts: [string, RequestInit][] = [
			['/role-mappings', {}],
			['/role-mappings', { method: 'PUT', body: JSON.stringify({ mappings: { [roles.students]: 'moderator' } }) }],
			[`/identities/${memberId}`, {}],
			[`/identities/${memberId}`, { method: 'PUT', body: JSON.stringify({ kalturaUserId: 'jane.teacher@school.example' }) }],
			[`/identities/${memberId}`, { method: 'DELETE' }]
		];
		for (const [path, init] of attempts) {
			const response = await call(guildId, otherToken, path, init);
			expect(response.status, `${init.method ?? 'GET'} ${path}`).to.equal(403);
			expect(await response.json()).to.deep.equal({ error: { code: 'forbidden', message: 'This token was not issued for this guild.' } });
		}
		expect(await state()).to.deep.equal(before);
	});

	it('GIVEN everything above THEN no secret or KS appears in the bot’s output', () => {
		const output = bot.output();
		for (const secret of [ADMIN_SECRET, JWT_SECRET, discord.token]) expect(output).to.not.include(secret);
		expect(output).to.not.match(/djJ8[\w-]{20,}/);
	});
});
