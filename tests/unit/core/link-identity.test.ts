import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import type { AuditEntryInput } from '../../../src/core/audit/audit-log.js';
import { IdentityService, KALTURA_USER_ID_PATTERN, KalturaUserClaimedError, type IdentityLink } from '../../../src/core/auth/identity.js';
import {
	IdentityLinkError,
	LINK_REFUSED_AUDIT_REASON,
	LINK_REFUSED_MESSAGE,
	LINKS_DISABLED_MESSAGE,
	linkToExistingKalturaUser,
	unlinkIdentity,
	type IdentityActor
} from '../../../src/core/auth/link-identity.js';
import { KalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import { createKeyv } from '../../../src/core/storage/keyv-factory.js';
import { rejectionOf } from '../../helpers/rejection-of.js';

const SCHOOL = '200000000000000001';
const COLLEGE = '200000000000000002';
const ALICE = '300000000000000001';
const MALLORY = '300000000000000002';
const BOB = '300000000000000003';
const ADMIN = '400000000000000001';
const ACTOR: IdentityActor = { actorId: ADMIN, source: 'command' };
const LINKABLE = /^[\w.@]+$/u;

function identityOn(
	pattern: RegExp | undefined = LINKABLE,
	prefix = 'discord_'
): { identity: IdentityService; store: ReturnType<typeof createKeyv<IdentityLink>> } {
	const store = createKeyv<IdentityLink>({ kind: 'memory' }, 'identity-links');
	return { identity: new IdentityService(store, prefix, () => ({ linkableUserPattern: pattern })), store };
}

function discordError(code: number): DiscordAPIError {
	return new DiscordAPIError({ code, message: 'refused' }, code, 404, 'GET', '/guilds/x/members/y', {});
}

describe('IdentityService: links, claims and derived ids', () => {
	it('GIVEN ids Kaltura refuses THEN link rejects them before touching the store, whole id checked', async () => {
		const { identity } = identityOn();
		for (const id of ['ok:bad', 'bad:ok', '', 'a'.repeat(101), 'has space']) {
			expect(KALTURA_USER_ID_PATTERN.test(id), id).to.equal(false);
			const error = await rejectionOf(identity.link(SCHOOL, ALICE, id, ADMIN));
			expect(error, id).to.be.instanceOf(RangeError);
			expect(String(error.message)).to.match(/1 to 100 letters/u);
		}
		expect(await identity.claimOf('ok')).to.equal(undefined);
		expect(KALTURA_USER_ID_PATTERN.test('a'.repeat(100))).to.equal(true);
	});

	it('GIVEN a prefix with characters Kaltura ids refuse THEN the service is not built, and says which prefix', () => {
		for (const prefix of ['bad:', ':bad', 'a b', 'x'.repeat(41)]) {
			expect(() => identityOn(LINKABLE, prefix), prefix).to.throw(RangeError, `"${prefix}"`);
		}
		expect(identityOn(LINKABLE, '').identity.derivedKalturaUserId(ALICE)).to.equal(ALICE);
		expect(identityOn(LINKABLE, 'kmc.').identity.derivedKalturaUserId(ALICE)).to.equal(`kmc.${ALICE}`);
	});

	it('GIVEN derived ids THEN only prefix plus a whole snowflake names a Discord user', () => {
		const { identity } = identityOn();
		expect(identity.derivedKalturaUserId(ALICE)).to.equal(`discord_${ALICE}`);
		expect(identity.discordUserOfDerivedId(`discord_${ALICE}`)).to.equal(ALICE);
		expect(identity.discordUserOfDerivedId(`discord_x${ALICE}`)).to.equal(undefined);
		expect(identity.discordUserOfDerivedId(`discord_${ALICE}x`)).to.equal(undefined);
		expect(identity.discordUserOfDerivedId(`discord_${'1'.repeat(21)}`)).to.equal(undefined);
		expect(identity.discordUserOfDerivedId('jane@school.example')).to.equal(undefined);
	});

	it('GIVEN another Discord user holds the Kaltura user THEN the error names the refusal', async () => {
		const { identity } = identityOn();
		await identity.link(SCHOOL, ALICE, 'jane', ADMIN);
		const error = await rejectionOf(identity.link(SCHOOL, MALLORY, 'jane', ADMIN));
		expect(error).to.be.instanceOf(KalturaUserClaimedError);
		expect(error.name).to.equal('KalturaUserClaimedError');
		expect(error.message).to.equal('This Kaltura user is already linked to another Discord user.');
	});

	it('GIVEN a Kaltura id spelled like a link key THEN it is a claim of its own, not a member’s link', async () => {
		const { identity } = identityOn();
		await identity.link(SCHOOL, MALLORY, 'mallory', ADMIN);
		const lookalike = `${SCHOOL}.${MALLORY}`;
		await identity.link(COLLEGE, ALICE, lookalike, ADMIN);
		expect(await identity.kalturaUserIdOf(COLLEGE, ALICE)).to.equal(lookalike);
		expect(await identity.kalturaUserIdOf(SCHOOL, MALLORY)).to.equal('mallory');
	});

	it('GIVEN claims THEN they are stored folded to lower case under kaltura-user: (the persisted form)', async () => {
		const { identity, store } = identityOn();
		await identity.link(SCHOOL, ALICE, 'Jane@School.example', ADMIN);
		expect(await store.get('kaltura-user:jane@school.example')).to.deep.equal({ discordUserId: ALICE, guildIds: [SCHOOL] });
	});

	it('GIVEN a relink to another Kaltura user THEN the old claim is released', async () => {
		const { identity } = identityOn();
		await identity.link(SCHOOL, ALICE, 'jane', ADMIN);
		await identity.link(SCHOOL, ALICE, 'june', ADMIN);
		expect(await identity.claimOf('jane')).to.equal(undefined);
		expect(await identity.kalturaUserIdOf(SCHOOL, ALICE)).to.equal('june');
		await identity.link(SCHOOL, MALLORY, 'jane', ADMIN);
		expect(await identity.kalturaUserIdOf(SCHOOL, MALLORY)).to.equal('jane');
	});

	it('GIVEN links in two servers THEN unlinking one keeps the claim for the other; the last ends it', async () => {
		const { identity } = identityOn();
		await identity.link(SCHOOL, ALICE, 'jane', ADMIN);
		await identity.link(COLLEGE, ALICE, 'jane', ADMIN);
		expect((await identity.unlink(SCHOOL, ALICE))?.kalturaUserId).to.equal('jane');
		expect(await identity.claimOf('jane')).to.deep.equal({ discordUserId: ALICE, guildIds: [COLLEGE] });
		expect(await identity.kalturaUserIdOf(COLLEGE, ALICE)).to.equal('jane');
		expect(await identity.kalturaUserIdOf(SCHOOL, ALICE)).to.equal(`discord_${ALICE}`);
		await identity.unlink(COLLEGE, ALICE);
		expect(await identity.claimOf('jane')).to.equal(undefined);
		expect(await identity.unlink(COLLEGE, ALICE)).to.equal(undefined);
	});

	it('GIVEN no pattern, or a pattern the id does not match THEN a stored link is not honoured', async () => {
		const store = createKeyv<IdentityLink>({ kind: 'memory' }, 'identity-links');
		let pattern: RegExp | undefined = LINKABLE;
		const identity = new IdentityService(store, 'discord_', () => ({ linkableUserPattern: pattern }));
		await identity.link(SCHOOL, ALICE, 'jane', ADMIN);
		expect(await identity.kalturaUserIdOf(SCHOOL, ALICE)).to.equal('jane');
		pattern = undefined;
		expect(await identity.linkOf(SCHOOL, ALICE)).to.equal(undefined);
		expect(await identity.kalturaUserIdOf(SCHOOL, ALICE)).to.equal(`discord_${ALICE}`);
		pattern = /^student\d+$/u;
		expect(await identity.linkOf(SCHOOL, ALICE)).to.equal(undefined);
		expect((await identity.storedLinkOf(SCHOOL, ALICE))?.kalturaUserId).to.equal('jane');
	});

	it('GIVEN a stored link without its claim, or with another member’s or another server’s claim THEN it is not honoured', async () => {
		const { identity, store } = identityOn();
		const link: IdentityLink = { kalturaUserId: 'jane', linkedBy: ADMIN, linkedAt: new Date(0).toISOString() };
		await store.set(`${SCHOOL}.${ALICE}`, link);
		expect(await identity.linkOf(SCHOOL, ALICE)).to.equal(undefined);
		await store.set('kaltura-user:jane', { discordUserId: MALLORY, guildIds: [SCHOOL] } as never);
		expect(await identity.linkOf(SCHOOL, ALICE)).to.equal(undefined);
		await store.set('kaltura-user:jane', { discordUserId: ALICE, guildIds: [COLLEGE] } as never);
		expect(await identity.linkOf(SCHOOL, ALICE)).to.equal(undefined);
		await store.set('kaltura-user:jane', { discordUserId: ALICE, guildIds: [COLLEGE, SCHOOL] } as never);
		expect(await identity.linkOf(SCHOOL, ALICE)).to.deep.equal(link);
	});

	it('GIVEN a stored link whose claim is missing or another’s THEN unlinking it leaves others’ claims alone', async () => {
		const { identity, store } = identityOn();
		const link: IdentityLink = { kalturaUserId: 'jane', linkedBy: ADMIN, linkedAt: new Date(0).toISOString() };
		await store.set(`${SCHOOL}.${ALICE}`, link);
		expect(await identity.unlink(SCHOOL, ALICE)).to.deep.equal(link);
		await store.set(`${SCHOOL}.${ALICE}`, link);
		await store.set('kaltura-user:jane', { discordUserId: MALLORY, guildIds: [SCHOOL] } as never);
		await identity.unlink(SCHOOL, ALICE);
		expect(await identity.claimOf('jane')).to.deep.equal({ discordUserId: MALLORY, guildIds: [SCHOOL] });
	});
});

/** The parts of the container linkToExistingKalturaUser and unlinkIdentity use, replaced for one test and restored after. */
interface World {
	identity: IdentityService;
	audit: AuditEntryInput[];
	debug: string[];
	/** What user.get answers for each Kaltura id: the user's flags, or an error to throw. */
	users: Map<string, Record<string, unknown> | Error>;
	members: Set<string>;
	/** Errors guild.members.fetch rejects with, by Discord user. */
	memberErrors: Map<string, Error>;
	fetchArguments: unknown[];
	/** Held until released, so two link requests can both pass the checks before either links. */
	kalturaGate: Promise<void>;
}

const SAVED = ['identity', 'audit', 'logger', 'kaltura', 'client', 'env'] as const;

describe('linkToExistingKalturaUser and unlinkIdentity', () => {
	let saved: Record<string, unknown>;
	let world: World;
	let env: Record<string, unknown>;

	beforeEach(() => {
		const slot = container as unknown as Record<string, unknown>;
		saved = Object.fromEntries(SAVED.map((key) => [key, slot[key]]));
		env = {
			KALTURA_PARTNER_ID: 1,
			ALLOWED_GUILD_IDS: undefined,
			KALTURA_LINKABLE_USER_PATTERN: '[\\w.@]+',
			KALTURA_MAPPABLE_ROLES: [],
			KALTURA_LINK_HOSTS: [],
			KALTURA_LIVE_CATEGORY_IDS: []
		};
		world = {
			identity: new IdentityService(createKeyv<IdentityLink>({ kind: 'memory' }, 'identity-links'), 'discord_'),
			audit: [],
			debug: [],
			users: new Map(),
			members: new Set([ALICE, MALLORY]),
			memberErrors: new Map(),
			fetchArguments: [],
			kalturaGate: Promise.resolve()
		};
		const guild = {
			members: {
				cache: new Map([[ALICE, {}]]),
				fetch: async (options: { user: string }) => {
					world.fetchArguments.push(options);
					const error = world.memberErrors.get(options.user);
					if (error !== undefined) throw error;
					if (!world.members.has(options.user)) throw discordError(RESTJSONErrorCodes.UnknownMember);
					return {};
				}
			}
		};
		slot.identity = world.identity;
		slot.env = env;
		slot.audit = { record: async (entry: AuditEntryInput) => void world.audit.push(entry) };
		slot.logger = { debug: (message: string) => void world.debug.push(message) };
		slot.client = { guilds: { cache: new Map([[SCHOOL, guild]]), fetch: async () => guild } };
		// Stands in for KalturaFacade.admin running user.get: the request is built but not sent; its service, action and user id are
		// read from it, and the stand-in user is read back through the request's own parsing, as the facade does.
		slot.kaltura = {
			admin: async (_scope: unknown, request: { build(): unknown; parse(answer: unknown): unknown }) => {
				const built = request.build() as { service?: string; action?: string; data?: { userId?: string } };
				expect([built.service, built.action]).to.deep.equal(['user', 'get']);
				const userId = built.data?.userId ?? '';
				await world.kalturaGate;
				const answer = world.users.get(userId) ?? new KalturaError('USER_NOT_FOUND', 'No such user.', false);
				if (answer instanceof Error) throw answer;
				return request.parse({ id: userId, ...answer });
			}
		};
		world.users.set('jane', { isAdmin: false, isAccountOwner: false });
	});

	afterEach(() => {
		Object.assign(container, saved);
	});

	async function refusal(promise: Promise<unknown>): Promise<IdentityLinkError> {
		const error = await rejectionOf(promise);
		expect(error).to.be.instanceOf(IdentityLinkError);
		return error as unknown as IdentityLinkError;
	}

	async function expectRefusedAlike(kalturaUserId: string, reason: RegExp, discordUserId = ALICE): Promise<void> {
		world.audit.length = 0;
		world.debug.length = 0;
		const error = await refusal(linkToExistingKalturaUser(SCHOOL, discordUserId, kalturaUserId, ACTOR));
		expect(error.code, kalturaUserId).to.equal('link_refused');
		expect(error.message).to.equal(LINK_REFUSED_MESSAGE);
		expect(error.name).to.equal('IdentityLinkError');
		expect(world.audit).to.deep.equal([
			{
				guildId: SCHOOL,
				actorId: ADMIN,
				source: 'command',
				action: 'policy.refused',
				target: discordUserId,
				changes: { kalturaUserId },
				outcome: 'refused',
				detail: `Link to Kaltura user "${kalturaUserId}" refused: ${LINK_REFUSED_AUDIT_REASON}.`
			}
		]);
		expect(world.debug).to.have.length(1);
		expect(world.debug[0]).to.include(`Discord user ${discordUserId} in guild ${SCHOOL} to Kaltura user "${kalturaUserId}" refused: `);
		expect(world.debug[0]).to.match(reason);
		expect(await world.identity.storedLinkOf(SCHOOL, discordUserId)).to.equal(undefined);
	}

	it('GIVEN the audit reason THEN it names no particular reason', () => {
		expect(LINK_REFUSED_AUDIT_REASON).to.equal('the Kaltura user id is not one this bot may link to');
	});

	it('GIVEN a member and a plain Kaltura user THEN the link is made and audited from the derived id', async () => {
		const link = await linkToExistingKalturaUser(SCHOOL, ALICE, 'jane', ACTOR);
		expect(link.kalturaUserId).to.equal('jane');
		expect(link.linkedBy).to.equal(ADMIN);
		expect(await world.identity.kalturaUserIdOf(SCHOOL, ALICE)).to.equal('jane');
		expect(world.audit).to.deep.equal([
			{
				guildId: SCHOOL,
				actorId: ADMIN,
				source: 'command',
				action: 'identity.link',
				target: ALICE,
				changes: { before: `discord_${ALICE}`, after: 'jane' }
			}
		]);
		world.users.set('june', { isAdmin: false, isAccountOwner: false });
		await linkToExistingKalturaUser(SCHOOL, ALICE, 'june', ACTOR);
		expect(world.audit[1]?.changes).to.deep.equal({ before: 'jane', after: 'june' });
	});

	it('GIVEN a linked member THEN unlinking audits back to the derived id; with no link nothing is recorded', async () => {
		await linkToExistingKalturaUser(SCHOOL, ALICE, 'jane', ACTOR);
		world.audit.length = 0;
		expect((await unlinkIdentity(SCHOOL, ALICE, { actorId: ADMIN, source: 'api' }))?.kalturaUserId).to.equal('jane');
		expect(world.audit).to.deep.equal([
			{
				guildId: SCHOOL,
				actorId: ADMIN,
				source: 'api',
				action: 'identity.unlink',
				target: ALICE,
				changes: { before: 'jane', after: `discord_${ALICE}` }
			}
		]);
		expect(await unlinkIdentity(SCHOOL, ALICE, ACTOR)).to.equal(undefined);
		expect(world.audit).to.have.length(1);
	});

	it('GIVEN an id Kaltura refuses THEN it is invalid, before anything else is asked', async () => {
		for (const id of ['ok:bad', 'bad:ok']) {
			const error = await refusal(linkToExistingKalturaUser(SCHOOL, ALICE, id, ACTOR));
			expect(error.code).to.equal('invalid_kaltura_user_id');
			expect(error.message).to.match(/1 to 100 letters/u);
		}
		expect(world.audit).to.deep.equal([]);
	});

	it('GIVEN no KALTURA_LINKABLE_USER_PATTERN THEN links are disabled, and the audit says so', async () => {
		env.KALTURA_LINKABLE_USER_PATTERN = undefined;
		const error = await refusal(linkToExistingKalturaUser(SCHOOL, ALICE, 'jane', ACTOR));
		expect(error.code).to.equal('links_disabled');
		expect(error.message).to.equal(LINKS_DISABLED_MESSAGE);
		expect(LINKS_DISABLED_MESSAGE).to.include('KALTURA_LINKABLE_USER_PATTERN is not set');
		expect(world.audit).to.have.length(1);
		expect(world.audit[0]?.detail).to.equal(
			'Link to Kaltura user "jane" refused: KALTURA_LINKABLE_USER_PATTERN is not set, so no link is allowed.'
		);
		expect(world.debug[0]).to.include('KALTURA_LINKABLE_USER_PATTERN is not set, so no link is allowed');
		expect(await world.identity.storedLinkOf(SCHOOL, ALICE)).to.equal(undefined);
	});

	it('GIVEN someone who is not a member THEN they cannot be linked; Unknown Member and Unknown User both mean not a member', async () => {
		for (const [user, code] of [
			[BOB, RESTJSONErrorCodes.UnknownMember],
			[MALLORY, RESTJSONErrorCodes.UnknownUser]
		] as const) {
			world.memberErrors.set(user, discordError(code));
			const error = await refusal(linkToExistingKalturaUser(SCHOOL, user, 'jane', ACTOR));
			expect(error.code).to.equal('unknown_member');
			expect(await world.identity.claimOf('jane')).to.equal(undefined);
		}
		expect(world.fetchArguments).to.deep.equal([{ user: BOB }, { user: MALLORY }]);
	});

	it('GIVEN a member outside the cache THEN Discord is asked for that member, and they can be linked', async () => {
		await linkToExistingKalturaUser(SCHOOL, MALLORY, 'jane', ACTOR);
		expect(world.fetchArguments).to.deep.equal([{ user: MALLORY }]);
		expect(await world.identity.kalturaUserIdOf(SCHOOL, MALLORY)).to.equal('jane');
	});

	it('GIVEN a cached member THEN Discord is not asked', async () => {
		world.memberErrors.set(ALICE, discordError(RESTJSONErrorCodes.UnknownMember));
		await linkToExistingKalturaUser(SCHOOL, ALICE, 'jane', ACTOR);
		expect(world.fetchArguments).to.deep.equal([]);
	});

	it('GIVEN a guild outside the cache THEN it is fetched; a cached guild is not', async () => {
		const slot = container as unknown as { client: { guilds: { cache: Map<string, unknown>; fetch: () => Promise<unknown> } } };
		const guild = slot.client.guilds.cache.get(SCHOOL);
		slot.client.guilds.fetch = () => Promise.reject(new Error('the cached guild must be used'));
		await linkToExistingKalturaUser(SCHOOL, ALICE, 'jane', ACTOR);
		slot.client.guilds.cache.clear();
		slot.client.guilds.fetch = () => Promise.resolve(guild);
		world.users.set('june', { isAdmin: false, isAccountOwner: false });
		await linkToExistingKalturaUser(SCHOOL, ALICE, 'june', ACTOR);
		expect(await world.identity.kalturaUserIdOf(SCHOOL, ALICE)).to.equal('june');
	});

	it('GIVEN Discord fails otherwise THEN the error passes through', async () => {
		const missingAccess = discordError(RESTJSONErrorCodes.MissingAccess);
		world.memberErrors.set(MALLORY, missingAccess);
		expect(await rejectionOf(linkToExistingKalturaUser(SCHOOL, MALLORY, 'jane', ACTOR))).to.equal(missingAccess);
		const outage = Object.assign(new Error('socket hang up'), { code: RESTJSONErrorCodes.UnknownMember });
		world.memberErrors.set(MALLORY, outage);
		expect(await rejectionOf(linkToExistingKalturaUser(SCHOOL, MALLORY, 'jane', ACTOR))).to.equal(outage);
	});

	it('GIVEN every reason to refuse THEN each is the same refusal, with the real reason only in the debug log', async () => {
		env.KALTURA_LINKABLE_USER_PATTERN = '[a-z]+|discord_\\d+';
		await expectRefusedAlike('Jane.Doe', /does not match KALTURA_LINKABLE_USER_PATTERN/u);
		await expectRefusedAlike(`discord_${MALLORY}`, new RegExp(`derived from Discord user ${MALLORY}`, 'u'));
		await expectRefusedAlike('nobody', /Kaltura has no user with this id/u);
		world.users.set('typo', new KalturaError('INVALID_USER_ID', 'Bad id.', false));
		await expectRefusedAlike('typo', /Kaltura has no user with this id/u);
		world.users.set('owner', { isAdmin: false, isAccountOwner: true });
		await expectRefusedAlike('owner', /account owner/u);
		world.users.set('kmc', { isAdmin: true, isAccountOwner: false });
		await expectRefusedAlike('kmc', /partner admin/u);
		world.users.set('noadminflag', { isAccountOwner: false });
		await expectRefusedAlike('noadminflag', /did not say whether/u);
		world.users.set('noownerflag', { isAdmin: false });
		await expectRefusedAlike('noownerflag', /did not say whether/u);
		await linkToExistingKalturaUser(SCHOOL, MALLORY, 'jane', ACTOR);
		await expectRefusedAlike('jane', /already linked to another Discord user/u);
	});

	it('GIVEN a member’s own derived id THEN it may be linked', async () => {
		env.KALTURA_LINKABLE_USER_PATTERN = 'discord_\\d+';
		world.users.set(`discord_${ALICE}`, { isAdmin: false, isAccountOwner: false });
		await linkToExistingKalturaUser(SCHOOL, ALICE, `discord_${ALICE}`, ACTOR);
		expect(await world.identity.kalturaUserIdOf(SCHOOL, ALICE)).to.equal(`discord_${ALICE}`);
	});

	it('GIVEN other Kaltura or unexpected errors THEN they pass through, with no refusal recorded', async () => {
		const forbidden = new KalturaError('SERVICE_FORBIDDEN', 'Not allowed.', false);
		world.users.set('jane', forbidden);
		expect(await rejectionOf(linkToExistingKalturaUser(SCHOOL, ALICE, 'jane', ACTOR))).to.equal(forbidden);
		const odd = Object.assign(new Error('odd'), { code: 'USER_NOT_FOUND' });
		world.users.set('jane', odd);
		expect(await rejectionOf(linkToExistingKalturaUser(SCHOOL, ALICE, 'jane', ACTOR))).to.equal(odd);
		expect(world.audit).to.deep.equal([]);
	});

	it('GIVEN two members linked to one Kaltura user at once THEN the second is the same refusal', async () => {
		let open!: () => void;
		world.kalturaGate = new Promise((resolve) => (open = resolve));
		const first = linkToExistingKalturaUser(SCHOOL, ALICE, 'jane', ACTOR);
		const second = linkToExistingKalturaUser(SCHOOL, MALLORY, 'jane', ACTOR);
		await new Promise((resolve) => setImmediate(resolve));
		open();
		expect((await first).kalturaUserId).to.equal('jane');
		const error = await refusal(second);
		expect(error.code).to.equal('link_refused');
		expect(error.message).to.equal(LINK_REFUSED_MESSAGE);
		expect(world.audit.map((entry) => entry.action)).to.deep.equal(['identity.link', 'policy.refused']);
		expect(world.audit[1]?.detail).to.equal(`Link to Kaltura user "jane" refused: ${LINK_REFUSED_AUDIT_REASON}.`);
		expect(world.debug.at(-1)).to.match(/already linked to another Discord user/u);
	});

	it('GIVEN the identity store fails THEN the error passes through and is not taken for a refusal', async () => {
		const broken = new Error('store down');
		(container as unknown as { identity: unknown }).identity = Object.assign(Object.create(world.identity) as object, {
			linkOf: () => Promise.resolve(undefined),
			claimOf: () => Promise.resolve(undefined),
			link: () => Promise.reject(broken)
		});
		expect(await rejectionOf(linkToExistingKalturaUser(SCHOOL, ALICE, 'jane', ACTOR))).to.equal(broken);
		expect(world.audit).to.deep.equal([]);
	});
});
