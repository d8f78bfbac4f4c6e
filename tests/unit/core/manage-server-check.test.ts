import { expect } from 'chai';
import { DiscordAPIError, GatewayIntentBits, PermissionFlagsBits, RESTJSONErrorCodes, type Client } from 'discord.js';
import { DiscordUnavailableError, ManageServerCheck, type ManageServerCheckOptions } from '../../../src/core/auth/manage-server-check.js';

const GUILD = '100000000000000001';
const USER = '300000000000000001';

interface FakeMember {
	partial: boolean;
	permissions: { has(flag: bigint): boolean };
	isCommunicationDisabled(): boolean;
}

/** A member as discord.js presents it: `permissions.has` counts Administrator as every permission. */
const member = (flags: bigint[], timedOut = false, partial = false): FakeMember => ({
	partial,
	permissions: { has: (flag) => flags.includes(PermissionFlagsBits.Administrator) || flags.includes(flag) },
	isCommunicationDisabled: () => timedOut
});

const apiError = (code: number) => new DiscordAPIError({ code, message: 'refused' }, code, 404, 'GET', `/guilds/${GUILD}/members/${USER}`, {});

/** Just enough of a discord.js Client: the guild cache, guild and member fetches (recorded), and the intents. */
function fakeClient(options: {
	cachedGuild?: 'available' | 'unavailable';
	cachedMember?: FakeMember;
	membersIntent?: boolean;
	answer: () => Promise<FakeMember>;
}) {
	const memberFetches: { user: string; force: boolean; cache: boolean }[] = [];
	const guildFetches: unknown[] = [];
	const guild = {
		available: options.cachedGuild !== 'unavailable',
		members: {
			cache: new Map(options.cachedMember ? [[USER, options.cachedMember]] : []),
			fetch: (query: { user: string; force: boolean; cache: boolean }) => (memberFetches.push(query), options.answer())
		}
	};
	const client = {
		guilds: {
			cache: new Map(options.cachedGuild ? [[GUILD, guild]] : []),
			fetch: async (query: unknown) => (guildFetches.push(query), guild)
		},
		options: { intents: { has: (intent: number) => options.membersIntent === true && intent === GatewayIntentBits.GuildMembers } }
	} as unknown as Client;
	return { client, memberFetches, guildFetches };
}

describe('ManageServerCheck', () => {
	let now: number;
	const check = (client: Client, options: ManageServerCheckOptions = {}) => new ManageServerCheck(client, { now: () => now, ...options });

	beforeEach(() => {
		now = 1_000_000;
	});

	it('GIVEN a member’s permissions THEN Manage Server allows, its absence refuses, and a timeout refuses unless they are an Administrator', async () => {
		const cases: [FakeMember, unknown][] = [
			[member([PermissionFlagsBits.ManageGuild]), { allowed: true }],
			[member([PermissionFlagsBits.Administrator]), { allowed: true }],
			[member([PermissionFlagsBits.ManageEvents]), { allowed: false, reason: 'missing-permission' }],
			[member([PermissionFlagsBits.ManageGuild], true), { allowed: false, reason: 'timed-out' }],
			[member([PermissionFlagsBits.Administrator], true), { allowed: true }],
			[member([], true), { allowed: false, reason: 'missing-permission' }]
		];
		for (const [answer, verdict] of cases)
			expect(await check(fakeClient({ answer: async () => answer }).client).check(GUILD, USER)).to.deep.equal(verdict);
	});

	it('GIVEN Discord’s refusals THEN unknown guild and missing access mean the bot is not there; unknown member or user, not a member', async () => {
		const verdictFor = async (code: number) => check(fakeClient({ answer: () => Promise.reject(apiError(code)) }).client).check(GUILD, USER);
		for (const code of [RESTJSONErrorCodes.UnknownGuild, RESTJSONErrorCodes.MissingAccess])
			expect(await verdictFor(code)).to.deep.equal({ allowed: false, reason: 'bot-not-in-guild' });
		for (const code of [RESTJSONErrorCodes.UnknownMember, RESTJSONErrorCodes.UnknownUser])
			expect(await verdictFor(code)).to.deep.equal({ allowed: false, reason: 'not-a-member' });
	});

	it('GIVEN any other failure THEN there is no answer: a DiscordUnavailableError carrying the cause', async () => {
		for (const cause of [apiError(RESTJSONErrorCodes.MissingPermissions), new Error('socket hang up')]) {
			const error = await check(fakeClient({ answer: () => Promise.reject(cause) }).client)
				.check(GUILD, USER)
				.then(
					() => undefined,
					(rejection: unknown) => rejection
				);
			expect(error).to.be.instanceOf(DiscordUnavailableError);
			expect(error).to.include({ name: 'DiscordUnavailableError', message: 'Discord could not be asked about the member', cause });
		}
	});

	it('GIVEN a cached guild in an outage THEN there is no answer and Discord is not asked', async () => {
		const fake = fakeClient({ cachedGuild: 'unavailable', answer: async () => member([PermissionFlagsBits.ManageGuild]) });
		const error = await check(fake.client)
			.check(GUILD, USER)
			.catch((rejection: unknown) => rejection);
		expect(error).to.be.instanceOf(DiscordUnavailableError);
		expect(fake.memberFetches).to.deep.equal([]);
	});

	it('GIVEN member updates followed and the member cached THEN the cache answers; a partial member or no intent is fetched', async () => {
		const cached = fakeClient({
			cachedGuild: 'available',
			cachedMember: member([PermissionFlagsBits.ManageGuild]),
			membersIntent: true,
			answer: async () => member([])
		});
		expect(await check(cached.client).check(GUILD, USER)).to.deep.equal({ allowed: true });
		expect(cached.memberFetches).to.deep.equal([]);

		const partial = fakeClient({
			cachedGuild: 'available',
			cachedMember: member([PermissionFlagsBits.ManageGuild], false, true),
			membersIntent: true,
			answer: async () => member([])
		});
		expect(await check(partial.client).check(GUILD, USER)).to.deep.equal({ allowed: false, reason: 'missing-permission' });
		expect(partial.memberFetches).to.deep.equal([{ user: USER, force: true, cache: true }]);

		const unfollowed = fakeClient({
			cachedGuild: 'available',
			cachedMember: member([PermissionFlagsBits.ManageGuild]),
			answer: async () => member([])
		});
		expect(await check(unfollowed.client).check(GUILD, USER)).to.deep.equal({ allowed: false, reason: 'missing-permission' });
		expect(unfollowed.memberFetches).to.deep.equal([{ user: USER, force: true, cache: false }]);
		expect(unfollowed.guildFetches).to.deep.equal([]);
	});

	it('GIVEN a guild this process does not hold THEN the guild is fetched uncached, then the member, not cached either', async () => {
		const fake = fakeClient({ membersIntent: true, answer: async () => member([PermissionFlagsBits.ManageGuild]) });
		expect(await check(fake.client).check(GUILD, USER)).to.deep.equal({ allowed: true });
		expect(fake.guildFetches).to.deep.equal([{ guild: GUILD, cache: false, force: true }]);
		expect(fake.memberFetches).to.deep.equal([{ user: USER, force: true, cache: false }]);
	});

	it('GIVEN a REST answer THEN it is reused for 3 s by default, then asked again; clear() drops it', async () => {
		const fake = fakeClient({ answer: async () => member([PermissionFlagsBits.ManageGuild]) });
		const rights = check(fake.client);
		await rights.check(GUILD, USER);
		now += 2_999;
		await rights.check(GUILD, USER);
		expect(fake.memberFetches).to.have.lengthOf(1);
		now += 1;
		await rights.check(GUILD, USER);
		expect(fake.memberFetches).to.have.lengthOf(2);
		rights.clear();
		await rights.check(GUILD, USER);
		expect(fake.memberFetches).to.have.lengthOf(3);
	});

	it('GIVEN concurrent questions THEN Discord is asked once', async () => {
		const fake = fakeClient({ answer: async () => member([PermissionFlagsBits.ManageGuild]) });
		const rights = check(fake.client);
		await Promise.all([rights.check(GUILD, USER), rights.check(GUILD, USER), rights.check(GUILD, USER)]);
		expect(fake.memberFetches).to.have.lengthOf(1);
	});

	it('GIVEN more answers than the cache holds THEN the oldest is asked again, the newest is not', async () => {
		const fake = fakeClient({ answer: async () => member([PermissionFlagsBits.ManageGuild]) });
		const rights = check(fake.client, { cacheSize: 1 });
		await rights.check(GUILD, USER);
		await rights.check(GUILD, '300000000000000002');
		await rights.check(GUILD, '300000000000000002');
		expect(fake.memberFetches).to.have.lengthOf(2);
		await rights.check(GUILD, USER);
		expect(fake.memberFetches).to.have.lengthOf(3);
	});

	it('GIVEN Discord silent past the time limit THEN there is no answer, and the reason says how long was waited', async () => {
		const fake = fakeClient({ answer: () => new Promise<never>(() => undefined) });
		const error = await check(fake.client, { timeoutMs: 20 })
			.check(GUILD, USER)
			.catch((rejection: unknown) => rejection);
		expect(error).to.be.instanceOf(DiscordUnavailableError);
		expect(((error as Error).cause as Error).message).to.equal('no answer within 20 ms');
	});
});
