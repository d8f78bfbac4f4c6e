import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { startTestBot, type TestBot } from '../../helpers/test-bot.js';
import { waitUntil } from '../../helpers/wait-until.js';

const MEMBER_ROUTE = { method: 'GET', route: '/guilds/:guild_id/members/:user_id' } as const;
const TIMED_OUT = /^The user this token was issued to is timed out in this server/;

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/**
 * Discord takes every permission but View Channel and Read Message History from a timed-out member
 * until `communication_disabled_until`, unless they own the server or are an Administrator
 * (discord/discord-api-docs, docs/topics/Permissions.md, "Permissions For Timed Out Members"). An API
 * token follows the same rule: its user's Manage Server counts for nothing while they are timed out.
 */
describe('API tokens of a timed-out Manage Server holder (Discord stand-in, gateway and REST)', function () {
	this.timeout(30_000);

	let discord: DiscordStandIn;
	let bot: TestBot;
	let guildId: string;
	let admins: string;
	let root: string;
	let largeGuildId: string;
	let largeAdmins: string;

	before(async () => {
		discord = await DiscordStandIn.start({ privilegedIntents: { guildMembers: true } });
		const guild = discord.addGuild({ name: 'Timeouts' });
		guildId = guild.id;
		admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
		root = discord.addRole(guildId, { name: 'Root', permissions: PermissionFlagsBits.Administrator, position: 2 }).id;
		// Over the large threshold: GUILD_CREATE carries no members, so the check asks Discord over REST.
		const large = discord.addGuild({ name: 'Large' });
		largeGuildId = large.id;
		largeAdmins = discord.addRole(largeGuildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
		for (let index = 0; index < 60; index++) discord.addMember(largeGuildId, { user: { username: `large-${index}` } });

		bot = await startTestBot({
			env: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.restUrl, DISCORD_PRIVILEGED_INTENTS: 'GuildMembers' }
		});
	});

	after(async () => {
		await bot?.stop();
		await discord?.stop();
	});

	const call = (guild: string, userId: string) => {
		const token = container.apiTokens.issue({ userId, guildId: guild, scope: [GUILD_MANAGE_SCOPE] });
		return () => fetch(`${bot.apiUrl()}/guilds/${guild}/plugins`, { headers: { authorization: `Bearer ${token}` } });
	};
	const refusal = async (response: Response) => ({
		status: response.status,
		error: ((await response.json()) as { error: { code: string; message: string } }).error
	});
	const cachedTimeout = (userId: string) =>
		bot.client.guilds.cache.get(guildId)!.members.cache.get(userId)?.communicationDisabledUntilTimestamp ?? null;

	it('GIVEN a Manage Server holder is timed out THEN their token is refused with 403 saying so; when the timeout is lifted it works again', async () => {
		const moderator = discord.addMember(guildId, { user: { username: 'moderator' }, roles: [admins] }).user.id;
		const api = call(guildId, moderator);
		expect((await api()).status).to.equal(200);

		const until = inMinutes(30);
		discord.memberUpdate(guildId, moderator, { communicationDisabledUntil: until });
		await waitUntil(() => cachedTimeout(moderator) === Date.parse(until), 'the timeout to reach the bot');
		const refused = await refusal(await api());
		expect(refused.status).to.equal(403);
		expect(refused.error.code).to.equal('forbidden');
		expect(refused.error.message).to.match(TIMED_OUT);

		discord.memberUpdate(guildId, moderator, { communicationDisabledUntil: null });
		await waitUntil(() => cachedTimeout(moderator) === null, 'the lifted timeout to reach the bot');
		expect((await api()).status).to.equal(200);
	});

	it('GIVEN a timeout that has already ended THEN the token works (Discord counts it as no timeout)', async () => {
		const returned = discord.addMember(guildId, { user: { username: 'returned' }, roles: [admins], communicationDisabledUntil: inMinutes(-5) })
			.user.id;
		expect((await call(guildId, returned)()).status).to.equal(200);
	});

	it('GIVEN an Administrator with a timeout on record (set before they were made one) THEN the token works: Administrators are exempt', async () => {
		const chief = discord.addMember(guildId, { user: { username: 'chief' }, communicationDisabledUntil: inMinutes(30) }).user.id;
		discord.memberUpdate(guildId, chief, { roles: [root] });
		await waitUntil(() => bot.client.guilds.cache.get(guildId)!.members.cache.get(chief)?.roles.cache.has(root), 'the role to reach the bot');
		expect((await call(guildId, chief)()).status).to.equal(200);
	});

	it('GIVEN a timed-out Manage Server holder the gateway cache does not hold THEN Discord is asked over REST and the token is refused', async () => {
		const moderator = discord.addMember(largeGuildId, {
			user: { username: 'large-moderator' },
			roles: [largeAdmins],
			communicationDisabledUntil: inMinutes(30)
		}).user.id;
		const refused = await refusal(await call(largeGuildId, moderator)());
		expect(refused.status).to.equal(403);
		expect(refused.error.message).to.match(TIMED_OUT);
		const fetched = discord
			.requestsMatching(MEMBER_ROUTE)
			.filter((request) => request.params.guild_id === largeGuildId && request.params.user_id === moderator);
		expect(fetched.length).to.equal(1);
	});
});
