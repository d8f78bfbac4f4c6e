import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import type { AuditEntryInput } from '../../../src/core/audit/audit-log.js';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { ADMIN } from '../../helpers/raw-interactions.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { prepareTestBot, startTestBot, type TestBot } from '../../helpers/test-bot.js';
import { waitUntil } from '../../helpers/wait-until.js';

const MEMBER_ROUTE = { method: 'GET', route: '/guilds/:guild_id/members/:user_id' } as const;

interface ErrorBody {
	error: { code: string; message: string };
}

/** A bot in-process, logged in to the Discord stand-in's gateway, with the fixture plugins. */
function startBot(discord: DiscordStandIn, privilegedIntents: string | undefined): Promise<TestBot> {
	return startTestBot({
		env: {
			DISCORD_TOKEN: discord.token,
			DISCORD_API_URL: discord.restUrl,
			...(privilegedIntents === undefined ? {} : { DISCORD_PRIVILEGED_INTENTS: privilegedIntents })
		}
	});
}

function api(bot: TestBot, guildId: string, userId: string) {
	const token = container.apiTokens.issue({ userId, guildId, scope: [GUILD_MANAGE_SCOPE] });
	return () => fetch(`${bot.apiUrl()}/guilds/${guildId}/plugins`, { headers: { authorization: `Bearer ${token}` } });
}

async function expectRefused(response: Response, status: number, code: string, message: RegExp): Promise<void> {
	expect(response.status).to.equal(status);
	const { error } = (await response.json()) as ErrorBody;
	expect(error.code).to.equal(code);
	expect(error.message).to.match(message);
}

/**
 * API tokens carry their user's rights and die with them: every guild request asks Discord (the gateway
 * cache, or REST) whether the token's user still has Manage Server in the guild.
 */
describe('API tokens die with their rights (Discord stand-in, gateway and REST)', function () {
	this.timeout(30_000);

	describe('with the GuildMembers intent: members followed through the gateway', () => {
		let discord: DiscordStandIn;
		let bot: TestBot;
		let guildId: string;
		let ownerId: string;
		let admins: string;
		const users: Record<'keeper' | 'root' | 'demoted' | 'leaving' | 'plain', string> = {
			keeper: '',
			root: '',
			demoted: '',
			leaving: '',
			plain: ''
		};
		let goneGuildId: string;
		let goneAdmin: string;
		let largeGuildId: string;
		let largeAdmin: string;

		before(async () => {
			discord = await DiscordStandIn.start();
			const guild = discord.addGuild({ name: 'Rights' });
			guildId = guild.id;
			ownerId = guild.ownerId;
			admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 2 }).id;
			const root = discord.addRole(guildId, { name: 'Root', permissions: PermissionFlagsBits.Administrator, position: 3 }).id;
			users.keeper = discord.addMember(guildId, { user: { username: 'keeper' }, roles: [admins] }).user.id;
			users.root = discord.addMember(guildId, { user: { username: 'root' }, roles: [root] }).user.id;
			users.demoted = discord.addMember(guildId, { user: { username: 'demoted' }, roles: [admins] }).user.id;
			users.leaving = discord.addMember(guildId, { user: { username: 'leaving' }, roles: [admins] }).user.id;
			users.plain = discord.addMember(guildId, { user: { username: 'plain' } }).user.id;

			const gone = discord.addGuild({ name: 'Gone' });
			goneGuildId = gone.id;
			goneAdmin = gone.ownerId;

			// Over the large threshold: GUILD_CREATE carries no members, so discord.js caches none of them.
			const large = discord.addGuild({ name: 'Large' });
			largeGuildId = large.id;
			const largeAdmins = discord.addRole(largeGuildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
			largeAdmin = discord.addMember(largeGuildId, { user: { username: 'large-admin' }, roles: [largeAdmins] }).user.id;
			for (let index = 0; index < 60; index++) discord.addMember(largeGuildId, { user: { username: `large-${index}` } });

			bot = await startBot(discord, 'GuildMembers');
		});

		after(async () => {
			await bot?.stop();
			await discord?.stop();
		});

		const memberFetches = (guild: string, user: string) =>
			discord.requestsMatching(MEMBER_ROUTE).filter((request) => request.params.guild_id === guild && request.params.user_id === user).length;

		it('GIVEN the owner, an Administrator and a Manage Server member THEN their tokens work, answered from the gateway cache', async () => {
			for (const userId of [ownerId, users.root, users.keeper]) {
				expect((await api(bot, guildId, userId)()).status, userId).to.equal(200);
				expect(memberFetches(guildId, userId), userId).to.equal(0);
			}
		});

		it('GIVEN a member without Manage Server THEN a token minted for them is refused with 403', async () => {
			await expectRefused(await api(bot, guildId, users.plain)(), 403, 'forbidden', /no longer has the Manage Server permission/);
		});

		it('GIVEN the token’s user lost Manage Server (role removed) THEN the same token is refused with 403', async () => {
			const call = api(bot, guildId, users.demoted);
			expect((await call()).status).to.equal(200);
			discord.memberUpdate(guildId, users.demoted, { roles: [] });
			await waitUntil(
				() => !bot.client.guilds.cache.get(guildId)!.members.cache.get(users.demoted)!.roles.cache.has(admins),
				'the role removal to reach the bot'
			);
			await expectRefused(
				await call(),
				403,
				'forbidden',
				/^The user this token was issued to no longer has the Manage Server permission in this server\.$/
			);

			// The attack: changing the server's config and identity links with the token after the rights are gone.
			const token = container.apiTokens.issue({ userId: users.demoted, guildId, scope: [GUILD_MANAGE_SCOPE] });
			const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
			const before = await bot.guildConfig.runtimeOverride(guildId);
			const patch = await fetch(`${bot.apiUrl()}/guilds/${guildId}/config`, {
				method: 'PATCH',
				headers,
				body: JSON.stringify({ plugins: { greeter: { enabled: false } } })
			});
			await expectRefused(patch, 403, 'forbidden', /no longer has the Manage Server permission/);
			expect(await bot.guildConfig.runtimeOverride(guildId)).to.deep.equal(before);
			const link = await fetch(`${bot.apiUrl()}/guilds/${guildId}/identities/${users.plain}`, {
				method: 'PUT',
				headers,
				body: JSON.stringify({ kalturaUserId: 'someone-else' })
			});
			await expectRefused(link, 403, 'forbidden', /no longer has the Manage Server permission/);
			expect(await container.identity.storedLinkOf(guildId, users.plain)).to.equal(undefined);
		});

		it('GIVEN the token’s user left the server THEN the same token is refused with 403', async () => {
			const call = api(bot, guildId, users.leaving);
			expect((await call()).status).to.equal(200);
			discord.memberLeave(guildId, users.leaving);
			await waitUntil(() => !bot.client.guilds.cache.get(guildId)!.members.cache.has(users.leaving), 'the departure to reach the bot');
			await expectRefused(await call(), 403, 'forbidden', /^The user this token was issued to is no longer a member of this server\.$/);
		});

		it('GIVEN the bot was removed from the server THEN its tokens are refused with 403', async () => {
			const call = api(bot, goneGuildId, goneAdmin);
			expect((await call()).status).to.equal(200);
			discord.leaveGuild(goneGuildId);
			await waitUntil(() => !bot.client.guilds.cache.has(goneGuildId), 'the bot to leave the guild');
			await expectRefused(await call(), 403, 'forbidden', /^The bot is no longer in this server/);
		});

		it('GIVEN a member the gateway cache does not hold THEN Discord is asked over REST, once for a burst of requests', async () => {
			expect(bot.client.guilds.cache.get(largeGuildId)!.members.cache.has(largeAdmin)).to.equal(false);
			const call = api(bot, largeGuildId, largeAdmin);
			const statuses = await Promise.all(Array.from({ length: 10 }, async () => (await call()).status));
			expect(statuses).to.deep.equal(Array.from({ length: 10 }, () => 200));
			expect(memberFetches(largeGuildId, largeAdmin)).to.equal(1);
			// The guild itself is in the gateway cache: only the member was fetched.
			expect(
				discord.requestsMatching({ method: 'GET', route: '/guilds/:guild_id' }).filter((request) => request.params.guild_id === largeGuildId)
			).to.have.lengthOf(0);

			// The member update arrives over the gateway and is cached: the refusal does not wait for the REST answer to age.
			discord.memberUpdate(largeGuildId, largeAdmin, { roles: [] });
			await waitUntil(() => bot.client.guilds.cache.get(largeGuildId)!.members.cache.has(largeAdmin), 'the member update to reach the bot');
			await expectRefused(await call(), 403, 'forbidden', /no longer has the Manage Server permission/);
		});
	});

	describe('without the GuildMembers intent: every answer from REST, reused a few seconds', () => {
		let discord: DiscordStandIn;
		let bot: TestBot;
		let guildId: string;
		let admins: string;
		let demoted: string;
		let fresh: string;

		before(async () => {
			discord = await DiscordStandIn.start();
			guildId = discord.addGuild({ name: 'Rest only' }).id;
			admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
			demoted = discord.addMember(guildId, { user: { username: 'demoted' }, roles: [admins] }).user.id;
			fresh = discord.addMember(guildId, { user: { username: 'fresh' }, roles: [admins] }).user.id;
			bot = await startBot(discord, undefined);
		});

		after(async () => {
			await bot?.stop();
			await discord?.stop();
		});

		afterEach(() => discord.restFaults.clear());

		it('GIVEN the token’s user lost Manage Server THEN within a few seconds the token is refused, although the member is cached (and stale)', async () => {
			// A command puts the member in discord.js's cache; without the intent no update will ever refresh it.
			await discord.runSlashCommand({ guildId, memberId: demoted, name: 'about' }).waitForReply();
			const cached = () => bot.client.guilds.cache.get(guildId)!.members.cache.get(demoted);
			expect(cached()?.roles.cache.has(admins)).to.equal(true);
			const call = api(bot, guildId, demoted);
			expect((await call()).status).to.equal(200);
			discord.memberUpdate(guildId, demoted, { roles: [] });
			const started = Date.now();
			let response = await call();
			while (response.status === 200 && Date.now() - started < 6_000) {
				await new Promise((done) => setTimeout(done, 250));
				response = await call();
			}
			await expectRefused(response, 403, 'forbidden', /no longer has the Manage Server permission/);
			expect(Date.now() - started).to.be.below(4_500);
			expect(cached()?.roles.cache.has(admins), 'the cached member is stale').to.equal(true);
		});

		it('GIVEN Discord answers the member check with a server error THEN 503 discord_unavailable, never a pass; once it recovers, 200', async () => {
			discord.restFaults.fail({ ...MEMBER_ROUTE, status: 502 });
			const call = api(bot, guildId, fresh);
			await expectRefused(await call(), 503, 'discord_unavailable', /Discord could not be asked/);
			discord.restFaults.clear();
			expect((await call()).status).to.equal(200);
		});

		it('GIVEN a 500 only on the first attempt THEN discord.js retries and the check passes', async () => {
			discord.restFaults.fail({ ...MEMBER_ROUTE, status: 500, times: 1 });
			const other = discord.addMember(guildId, { user: { username: 'retried' }, roles: [admins] }).user.id;
			expect((await api(bot, guildId, other)()).status).to.equal(200);
		});
	});

	describe('ALLOWED_GUILD_IDS', () => {
		const ALLOWED = '100000000000000001';
		const OUTSIDE = '100000000000000009';
		let recorder: RestRecorder;
		let bot: TestBot;
		const audited: AuditEntryInput[] = [];

		before(async () => {
			recorder = await new RestRecorder().start();
			bot = await prepareTestBot(recorder, { env: { ALLOWED_GUILD_IDS: ALLOWED } });
			container.audit = { record: async (entry) => void audited.push(entry) };
		});

		after(async () => {
			await bot?.stop();
			await recorder?.stop();
		});

		it('GIVEN a valid admin token for a guild outside the list THEN 403 guild_not_allowed, recorded as a policy refusal; a listed guild works', async () => {
			await expectRefused(await api(bot, OUTSIDE, ADMIN.id)(), 403, 'guild_not_allowed', /ALLOWED_GUILD_IDS/);
			expect(audited.find((entry) => entry.action === 'policy.refused' && entry.guildId === OUTSIDE)).to.deep.include({
				actorId: ADMIN.id,
				source: 'api',
				outcome: 'refused'
			});
			expect((await api(bot, ALLOWED, ADMIN.id)()).status).to.equal(200);
		});
	});
});
