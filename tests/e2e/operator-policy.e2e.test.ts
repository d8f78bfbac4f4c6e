import { expect } from 'chai';
import { ButtonStyle, ComponentType, PermissionFlagsBits } from 'discord-api-types/v10';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiTokenService, GUILD_MANAGE_SCOPE } from '../../src/core/auth/api-tokens.js';
import { BotProcess, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn } from '../harness/discord/index.js';
import { DEFAULT_EVERYONE_PERMISSIONS } from '../harness/discord/permissions.js';
import { KalturaStandIn } from '../harness/kaltura/index.js';

const ADMIN_SECRET = 'policy-e2e-admin-secret';
const JWT_SECRET = 'policy-e2e-jwt-secret-long-enough-for-hs256';
const PARTNER_ID = 5150;
const REFUSED = 'This Kaltura user cannot be linked.';
const NOT_ENABLED = /^This bot is not enabled for this server/;

/**
 * The operator's bounds on every server admin, through the bot process: which Kaltura users members may
 * be linked to, which Kaltura roles may be mapped, where join and watch links may point, who may be
 * mentioned, and which servers the bot serves at all.
 */
describe('End to end: operator policy bounds every server admin', function () {
	this.timeout(90_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: BotProcess;
	let environment: Record<string, string>;
	let school: {
		id: string;
		admin: string;
		alice: string;
		bob: string;
		admins: string;
		teachers: string;
		pings: string;
		quiet: string;
		channel: string;
	};
	let college: { id: string; admin: string; alice: string; bob: string };
	let outsider: { id: string; owner: string; admin: string };
	const tokens = new ApiTokenService(JWT_SECRET);

	const slash = (guildId: string, as: string, name: string, subcommand: string, options: Record<string, string> = {}) =>
		discord.runSlashCommand({ guildId, memberId: as, name, subcommand, options }).waitForReply(15_000);
	const link = (guildId: string, as: string, member: string, kalturaUserId: string) =>
		slash(guildId, as, 'kaltura-user', 'link', { member, 'kaltura-user-id': kalturaUserId });
	const api = (guildId: string, as: string, path: string, init: RequestInit = {}) =>
		fetch(`${bot.apiUrl}/guilds/${guildId}${path}`, {
			...init,
			headers: {
				authorization: `Bearer ${tokens.issue({ userId: as, guildId, scope: [GUILD_MANAGE_SCOPE] })}`,
				'content-type': 'application/json'
			}
		});
	const dmsTo = (userId: string) => {
		const channelId = discord.state.dmChannels.get(userId);
		return channelId === undefined ? [] : discord.messageEvents.filter((event) => event.kind === 'create' && event.channelId === channelId);
	};

	before(async () => {
		discord = await DiscordStandIn.start();
		// Without Mention @everyone for the bot, as many servers set it: only mentionable roles can be pinged.
		const schoolGuild = discord.addGuild({
			name: 'School',
			everyonePermissions: DEFAULT_EVERYONE_PERMISSIONS & ~PermissionFlagsBits.MentionEveryone
		});
		const admins = discord.addRole(schoolGuild.id, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 4 }).id;
		const teachers = discord.addRole(schoolGuild.id, { name: 'Teachers', position: 3 }).id;
		const pings = discord.addRole(schoolGuild.id, { name: 'Pings', mentionable: true, position: 2 }).id;
		const quiet = discord.addRole(schoolGuild.id, { name: 'Quiet', mentionable: false, position: 1 }).id;
		const alice = discord.addMember(schoolGuild.id, { user: { username: 'alice' } }).user!.id;
		const bob = discord.addMember(schoolGuild.id, { user: { username: 'bob' } }).user!.id;
		school = {
			id: schoolGuild.id,
			admin: discord.addMember(schoolGuild.id, { user: { username: 'principal' }, roles: [admins] }).user!.id,
			alice,
			bob,
			admins,
			teachers,
			pings,
			quiet,
			channel: schoolGuild.systemChannelId!
		};
		const collegeGuild = discord.addGuild({ name: 'College' });
		const deans = discord.addRole(collegeGuild.id, { name: 'Deans', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
		discord.addMember(collegeGuild.id, { user: alice });
		discord.addMember(collegeGuild.id, { user: bob });
		college = {
			id: collegeGuild.id,
			admin: discord.addMember(collegeGuild.id, { user: { username: 'dean' }, roles: [deans] }).user!.id,
			alice,
			bob
		};
		// A server that added the bot without the operator's say: present when the bot connects.
		const outsiderGuild = discord.addGuild({ name: 'Outsiders' });
		const bosses = discord.addRole(outsiderGuild.id, { name: 'Bosses', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
		outsider = {
			id: outsiderGuild.id,
			owner: outsiderGuild.ownerId,
			admin: discord.addMember(outsiderGuild.id, { user: { username: 'boss' }, roles: [bosses] }).user!.id
		};

		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET });
		// The partner's account owner and a KMC admin: both match the linkable pattern, neither may ever be linked.
		kaltura.state.addUser({ id: 'owner@school.example', isAdmin: true, isAccountOwner: true });
		kaltura.state.addUser({ id: 'kmc.admin@school.example', isAdmin: true });
		kaltura.state.addUser({ id: 'jane.teacher@school.example', firstName: 'Jane' });
		kaltura.state.addUser({ id: 'outside-pattern', firstName: 'Olly' });

		environment = {
			...standInEnvironment({ discord, kaltura }),
			JWT_SECRET,
			LOG_LEVEL: 'debug',
			DATA_DIR: mkdtempSync(join(tmpdir(), 'kaltura-discord-bot-policy-')),
			ALLOWED_GUILD_IDS: `${school.id},${college.id}`,
			KALTURA_LINKABLE_USER_PATTERN: '[a-z.]+@school\\.example'
		};
		bot = await BotProcess.start({ env: environment });
	});

	after(async () => {
		if (bot) expect(await bot.stop()).to.equal(0);
		await discord?.stop();
		await kaltura?.stop();
	});

	describe('linking members to Kaltura users', () => {
		it('GIVEN the account owner, a partner admin, an unknown id or an id outside the pattern THEN each is refused with the same words', async () => {
			const replies = [];
			for (const id of ['owner@school.example', 'kmc.admin@school.example', 'nobody@school.example', 'outside-pattern']) {
				replies.push((await link(school.id, school.admin, school.alice, id)).content);
			}
			// Byte for byte the same: the command tells nothing about which ids exist or who is an admin.
			expect(replies).to.deep.equal([REFUSED, REFUSED, REFUSED, REFUSED]);
			const profile = await api(school.id, school.admin, `/identities/${school.alice}`);
			expect(await profile.json()).to.deep.equal({ userId: school.alice, kalturaUserId: `discord_${school.alice}`, linked: false });
			// The real reasons are for the operator's log only.
			await discord.waitFor(
				() => (bot.output().includes('it is the partner’s account owner') ? true : undefined),
				'the refusal reason in the log'
			);
			expect(bot.output())
				.to.include('it is a partner admin')
				.and.include('Kaltura has no user with this id')
				.and.include('does not match KALTURA_LINKABLE_USER_PATTERN');
		});

		it('GIVEN the API THEN an unknown id and an admin id get byte-identical answers', async () => {
			const answers = [];
			for (const kalturaUserId of ['ghost@school.example', 'kmc.admin@school.example', 'owner@school.example']) {
				const response = await api(school.id, school.admin, `/identities/${school.alice}`, {
					method: 'PUT',
					body: JSON.stringify({ kalturaUserId })
				});
				answers.push(`${response.status} ${await response.text()}`);
			}
			expect(answers[0]).to.equal(`422 ${JSON.stringify({ error: { code: 'link_refused', message: REFUSED } })}`);
			expect(new Set(answers).size).to.equal(1);
		});

		it('GIVEN a Kaltura user linked to one Discord user THEN linking it to another is refused in every server, and the same person may be linked again', async () => {
			expect((await link(school.id, school.admin, school.alice, 'jane.teacher@school.example')).content).to.equal(
				`<@${school.alice}> now acts as Kaltura user \`jane.teacher@school.example\` in this server.`
			);
			expect((await link(college.id, college.admin, college.bob, 'jane.teacher@school.example')).content).to.equal(REFUSED);
			expect((await link(school.id, school.admin, school.bob, 'jane.teacher@school.example')).content).to.equal(REFUSED);
			expect((await link(college.id, college.admin, college.alice, 'jane.teacher@school.example')).content).to.include(
				'now acts as Kaltura user'
			);
			const bobInCollege = await api(college.id, college.admin, `/identities/${college.bob}`);
			expect(await bobInCollege.json()).to.include({ kalturaUserId: `discord_${college.bob}`, linked: false });
			expect(bot.output()).to.include('it is already linked to another Discord user');
		});

		it('GIVEN another member’s derived Kaltura user THEN it cannot be linked either', async () => {
			expect((await link(school.id, school.admin, school.bob, `discord_${school.alice}`)).content).to.equal(REFUSED);
		});

		it('GIVEN the links above THEN the audit log has each refusal with one generic reason that tells no more than the reply, and the link made', async () => {
			const read = async (action: string) =>
				(
					(await (await api(school.id, school.admin, `/audit?action=${action}&limit=100`)).json()) as {
						entries: { target: string | null; detail: string | null; source: string }[];
					}
				).entries;
			const refusals = (await read('policy.refused')).map((entry) => entry.detail ?? '');
			// The admin reads the audit log: the reason must not say which ids exist, who is an admin, or who holds a user.
			const refusalOf = (kalturaUserId: string) => refusals.find((detail) => detail.includes(`"${kalturaUserId}"`));
			const withoutId = (kalturaUserId: string) => refusalOf(kalturaUserId)?.replace(`"${kalturaUserId}"`, '"…"');
			for (const kalturaUserId of [
				'owner@school.example',
				'kmc.admin@school.example',
				'ghost@school.example',
				'nobody@school.example',
				'jane.teacher@school.example',
				`discord_${school.alice}`
			]) {
				expect(refusalOf(kalturaUserId), kalturaUserId).to.equal(
					`Link to Kaltura user "${kalturaUserId}" refused: the Kaltura user id is not one this bot may link to.`
				);
			}
			expect(withoutId('ghost@school.example')).to.equal(withoutId('kmc.admin@school.example')).and.equal(withoutId('owner@school.example'));
			for (const reason of ['account owner', 'partner admin', 'no user', 'already linked', 'derived from', 'did not say']) {
				expect(
					refusals.filter((detail) => detail.includes(reason)),
					reason
				).to.deep.equal([]);
			}
			const links = await read('identity.link');
			expect(links.map((entry) => [entry.target, entry.source])).to.deep.include([school.alice, 'command']);
		});
	});

	describe('role mappings', () => {
		it('GIVEN the default KALTURA_MAPPABLE_ROLES THEN admin is refused by /roles and the API, saying what is allowed', async () => {
			const mapped = await slash(school.id, school.admin, 'roles', 'map', { role: school.teachers, 'kaltura-role': 'admin' });
			expect(mapped.content).to.equal(
				`Nothing was changed: the Kaltura role "admin" is not one this bot's operator lets servers map to (allowed: viewer, moderator).`
			);
			const byDefault = await slash(school.id, school.admin, 'roles', 'default', { 'kaltura-role': 'admin' });
			expect(byDefault.content).to.match(/^Nothing was changed: .*allowed: viewer, moderator/);
			const put = await api(school.id, school.admin, '/role-mappings', {
				method: 'PUT',
				body: JSON.stringify({ mappings: { [school.teachers]: 'admin' } })
			});
			expect(put.status).to.equal(422);
			expect(((await put.json()) as { error: { code: string } }).error.code).to.equal('role_not_allowed');
			const set = await slash(school.id, school.admin, 'config', 'set', { key: `role-mapping.mappings.${school.teachers}`, value: 'admin' });
			expect(set.content).to.include(`role-mapping.mappings.${school.teachers}`).and.include('allowed: viewer, moderator');
			const list = await slash(school.id, school.admin, 'roles', 'list');
			expect(list.embeds[0]!.description).to.not.include('admin');
			expect((await slash(school.id, school.admin, 'roles', 'map', { role: school.teachers, 'kaltura-role': 'moderator' })).content).to.include(
				'**moderator**'
			);
		});
	});

	describe('join and watch links', () => {
		for (const [what, url] of [
			['plain http', `http://${PARTNER_ID}.kaf.kaltura.com`],
			['another host', 'https://kaf.evil.example'],
			['a user name before the host', 'https://kaf.kaltura.com@evil.example']
		] as const) {
			it(`GIVEN meetings.kafBaseUrl with ${what} THEN /config set and the API refuse it with the key and reason`, async () => {
				const reply = await slash(school.id, school.admin, 'config', 'set', { key: 'meetings.kafBaseUrl', value: url });
				expect(reply.content)
					.to.match(/^Nothing was changed/)
					.and.include('meetings.kafBaseUrl');
				const patch = await api(school.id, school.admin, '/config', {
					method: 'PATCH',
					body: JSON.stringify({ meetings: { kafBaseUrl: url } })
				});
				expect(patch.status).to.equal(422);
				const body = (await patch.json()) as { error: { details: { path: string; message: string }[] } };
				expect(body.error.details.map((issue) => issue.path)).to.deep.equal(['meetings.kafBaseUrl']);
			});
		}

		it('GIVEN videos.watchUrlTemplate on another host THEN it is refused; the partner’s own is accepted', async () => {
			const refused = await slash(school.id, school.admin, 'config', 'set', {
				key: 'videos.watchUrlTemplate',
				value: 'https://watch.evil.example/{entryId}'
			});
			expect(refused.content).to.include('videos.watchUrlTemplate').and.include('KALTURA_LINK_HOSTS');
			const accepted = await slash(school.id, school.admin, 'config', 'set', {
				key: 'meetings.kafBaseUrl',
				value: `https://${PARTNER_ID}.kaf.kaltura.com`
			});
			expect(accepted.content).to.not.match(/^Nothing was changed/);
		});
	});

	describe('notification mentions', () => {
		it('GIVEN @everyone or a role the bot cannot ping as mention role THEN the subscription is refused; a mentionable role is fine', async () => {
			await slash(school.id, school.admin, 'plugins', 'enable', { plugin: 'notifications' });
			const subscribe = (role: string) =>
				slash(school.id, school.admin, 'notifications', 'subscribe', {
					channel: school.channel,
					events: 'entry.ready',
					'mention-role': role
				});
			expect((await subscribe(school.id)).content).to.equal(
				'Nothing was changed: the @everyone role cannot be a mention role; pick a role members join to be told.'
			);
			expect((await subscribe(school.quiet)).content).to.match(/^Nothing was changed: <@&\d+> is not mentionable/);
			expect((await subscribe(school.pings)).content).to.include(`mentioning <@&${school.pings}>`);
		});
	});

	describe('servers outside ALLOWED_GUILD_IDS', () => {
		it('GIVEN a server the bot found at start-up THEN its owner is told once and every command is refused', async () => {
			await discord.waitFor(() => (dmsTo(outsider.owner).length > 0 ? true : undefined), 'the owner’s notice');
			expect(dmsTo(outsider.owner)[0]!.message.content).to.include('**Outsiders**').and.include('not enabled for it');
			expect(
				(
					await slash(outsider.id, outsider.admin, 'kaltura-user', 'link', {
						member: outsider.admin,
						'kaltura-user-id': 'jane.teacher@school.example'
					})
				).content
			).to.match(NOT_ENABLED);
			expect((await slash(outsider.id, outsider.admin, 'plugins', 'enable', { plugin: 'meetings' })).content).to.match(NOT_ENABLED);
			expect((await slash(outsider.id, outsider.admin, 'config', 'set', { key: 'meetings.whoCanStart', value: 'everyone' })).content).to.match(
				NOT_ENABLED
			);
		});

		it('GIVEN a button the bot posted there earlier THEN pressing it is refused the same way', async () => {
			const message = discord.addMessage({
				channelId: discord.state.guilds.get(outsider.id)!.systemChannelId!,
				authorId: discord.botUser.id,
				content: 'Weekly standup',
				components: [
					{
						type: ComponentType.ActionRow,
						components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Join', custom_id: 'meetings:join:30001' }]
					}
				]
			});
			const reply = await discord
				.pressButton({ messageId: message.id, customId: 'meetings:join:30001', memberId: outsider.admin })
				.waitForReply(15_000);
			expect(reply.content).to.match(NOT_ENABLED);
		});

		it('GIVEN a server that adds the bot while it runs THEN its owner is told too', async () => {
			const late = discord.joinGuild({ name: 'Latecomers' });
			await discord.waitFor(() => (dmsTo(late.ownerId).length > 0 ? true : undefined), 'the late owner’s notice');
			expect(dmsTo(late.ownerId)[0]!.message.content).to.include('**Latecomers**');
		});

		it('GIVEN a restart THEN no owner is told a second time', async () => {
			expect(await bot.stop()).to.equal(0);
			bot = await BotProcess.start({ env: environment });
			await discord.waitFor(
				() => (bot.output().includes(`Guild ${outsider.id} is not in ALLOWED_GUILD_IDS; its owner was told before`) ? true : undefined),
				'the restarted bot’s check'
			);
			expect(dmsTo(outsider.owner)).to.have.lengthOf(1);
		});
	});

	describe('an operator who allows no links', () => {
		it('GIVEN KALTURA_LINKABLE_USER_PATTERN unset THEN linking is refused outright and links made before act as none', async () => {
			expect(await bot.stop()).to.equal(0);
			const { KALTURA_LINKABLE_USER_PATTERN: _removed, ...withoutPattern } = environment;
			bot = await BotProcess.start({ env: withoutPattern });
			const refused = await link(school.id, school.admin, school.bob, 'jane.teacher@school.example');
			expect(refused.content).to.equal(
				'Linking members to Kaltura users is not allowed by this bot’s operator (KALTURA_LINKABLE_USER_PATTERN is not set); members act as the Kaltura user derived from their Discord id.'
			);
			const put = await api(school.id, school.admin, `/identities/${school.bob}`, {
				method: 'PUT',
				body: JSON.stringify({ kalturaUserId: 'ghost@school.example' })
			});
			expect(put.status).to.equal(403);
			// alice was linked to jane above, while the pattern allowed it: now she is her derived user again.
			const alice = await api(school.id, school.admin, `/identities/${school.alice}`);
			expect(await alice.json()).to.deep.equal({ userId: school.alice, kalturaUserId: `discord_${school.alice}`, linked: false });
		});
	});
});
