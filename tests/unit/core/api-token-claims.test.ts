import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { Keyv } from 'keyv';
import {
	ApiTokenService,
	GUILD_MANAGE_SCOPE,
	TOKEN_AUDIENCE,
	TOKEN_ID_PATTERN,
	TOKEN_ISSUER,
	type ApiTokenClaims
} from '../../../src/core/auth/api-tokens.js';
import { REVOCATION_INVALIDATION_CHANNEL, TokenRevocations } from '../../../src/core/auth/token-revocations.js';
import { LocalInvalidationBus } from '../../../src/core/storage/invalidation-bus.js';

const SECRET = 'x'.repeat(32);
const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const JTI = '123e4567-e89b-42d3-a456-426614174000';

/** A token signed with the right secret, issuer and audience, whose claims are whatever the test says: only its shape can refuse it. */
const signedWith = (payload: Record<string, unknown>) =>
	jwt.sign({ sub: '300000000000000001', guild_id: GUILD, scope: [GUILD_MANAGE_SCOPE], jti: JTI, ...payload }, SECRET, {
		algorithm: 'HS256',
		issuer: TOKEN_ISSUER,
		audience: TOKEN_AUDIENCE,
		expiresIn: 600
	});

describe('API token claims', () => {
	const service = new ApiTokenService(SECRET);

	it('GIVEN a secret of 31 bytes THEN the service refuses it; 32 bytes, counted as UTF-8, are enough', () => {
		expect(() => new ApiTokenService('x'.repeat(31))).to.throw(RangeError, 'The JWT secret must be at least 32 bytes long.');
		expect(() => new ApiTokenService('x'.repeat(32))).to.not.throw();
		expect(() => new ApiTokenService('é'.repeat(16))).to.not.throw();
	});

	it('GIVEN a token it issued THEN verify returns its claims: the user, guild, scope as given, a UUID id and its times', () => {
		const token = service.issue({ userId: '300000000000000001', guildId: GUILD, scope: [GUILD_MANAGE_SCOPE, 'other:scope'] });
		const verified = service.verify(token);
		expect(verified.ok).to.equal(true);
		const { claims } = verified as { claims: ApiTokenClaims };
		expect(claims).to.include({ sub: '300000000000000001', guild_id: GUILD });
		expect(claims.scope).to.deep.equal(['guild:manage', 'other:scope']);
		expect(claims.jti).to.match(TOKEN_ID_PATTERN);
		expect(claims.exp - claims.iat).to.equal(15 * 60);
	});

	it('GIVEN token ids THEN only a whole UUID matches the id pattern', () => {
		expect(JTI).to.match(TOKEN_ID_PATTERN);
		expect(JTI.toUpperCase()).to.match(TOKEN_ID_PATTERN);
		for (const id of [`x${JTI}`, `${JTI}x`, JTI.slice(1), `${JTI}\n`]) expect(id, id).to.not.match(TOKEN_ID_PATTERN);
	});

	it('GIVEN an expired or a tampered token THEN the reason says which', () => {
		expect(
			service.verify(
				jwt.sign({ sub: 'u', guild_id: GUILD, scope: [], jti: JTI, exp: 1 }, SECRET, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE })
			)
		).to.deep.equal({
			ok: false,
			reason: 'token expired'
		});
		expect(service.verify(`${signedWith({})}x`)).to.deep.equal({ ok: false, reason: 'token invalid' });
	});

	it('GIVEN a correctly signed token whose payload is a string THEN it is refused', () => {
		// jsonwebtoken signs a string payload as is (no exp, iss or aud can be added): checked without them, it must still not pass.
		const token = jwt.sign('just a string', SECRET, { algorithm: 'HS256' });
		expect(new ApiTokenService(SECRET).verify(token)).to.have.property('ok', false);
	});

	it('GIVEN a correctly signed token without iat THEN it is refused for having no expiry times', () => {
		const token = jwt.sign({ sub: 'u', guild_id: GUILD, scope: [], jti: JTI, exp: Math.floor(Date.now() / 1000) + 600 }, SECRET, {
			issuer: TOKEN_ISSUER,
			audience: TOKEN_AUDIENCE,
			noTimestamp: true
		});
		expect(service.verify(token)).to.deep.equal({ ok: false, reason: 'token has no expiry' });
	});

	for (const [what, payload] of [
		['no subject', { sub: undefined }],
		['a numeric subject', { sub: 3 }],
		['no guild', { guild_id: undefined }],
		['a numeric guild', { guild_id: 1 }],
		['no id', { jti: undefined }],
		['a numeric id', { jti: 7 }],
		['no scope', { scope: undefined }],
		['a scope that is a string', { scope: GUILD_MANAGE_SCOPE }],
		['a scope with a non-string item', { scope: [GUILD_MANAGE_SCOPE, 1] }],
		['a scope of numbers', { scope: [1, 2] }]
	] as const) {
		it(`GIVEN a correctly signed token with ${what} THEN it is refused as invalid`, () => {
			expect(service.verify(signedWith({})).ok, 'the same token with every claim right').to.equal(true);
			expect(service.verify(signedWith(payload))).to.deep.equal({ ok: false, reason: 'token invalid' });
		});
	}
});

describe('Token revocations: guards', () => {
	const NOW = 1_800_000_000_000;
	const claims = (extra: Partial<ApiTokenClaims> = {}): ApiTokenClaims => ({
		sub: '300000000000000001',
		guild_id: GUILD,
		scope: [GUILD_MANAGE_SCOPE],
		jti: JTI,
		iat: NOW / 1000 - 60,
		exp: NOW / 1000 + 600,
		...extra
	});
	let now: number;
	let store: Keyv<never>;
	let bus: LocalInvalidationBus;
	let published: string[];
	const revocationsWith = (options: { cacheSize?: number } = {}) =>
		TokenRevocations.create({ store, bus, now: () => now, maximumStalenessMs: 10_000, ...options });

	beforeEach(async () => {
		now = NOW;
		store = new Keyv<never>({ store: new Map() });
		bus = new LocalInvalidationBus();
		published = [];
		await bus.subscribe(REVOCATION_INVALIDATION_CHANNEL, (key) => void published.push(key));
	});

	it('GIVEN a revocation THEN it is published on the revocations channel, naming the key', async () => {
		const revocations = await revocationsWith();
		await revocations.recordIssued(claims());
		await revocations.revokeAll(GUILD);
		await revocations.revoke(GUILD, JTI, 'admin');
		expect(REVOCATION_INVALIDATION_CHANNEL).to.equal('api-token-revocations:invalidate');
		expect(published).to.deep.equal([`guild:${GUILD}`, `jti:${JTI}`]);
	});

	it('GIVEN a token that expires this millisecond or has expired THEN it is not recorded, nor found to revoke', async () => {
		const revocations = await revocationsWith();
		await revocations.recordIssued(claims({ exp: NOW / 1000 }));
		expect(await revocations.issued(GUILD, JTI)).to.equal(undefined);
		expect(await store.get(`issued:${JTI}`), 'nothing stored for it').to.equal(undefined);
		await revocations.recordIssued(claims());
		now = NOW + 600_000;
		expect(await revocations.issued(GUILD, JTI), 'at its expiry').to.equal(undefined);
		now = NOW + 599_999;
		expect(await revocations.issued(GUILD, JTI)).to.deep.equal({ guildId: GUILD, userId: '300000000000000001', exp: NOW / 1000 + 600 });
	});

	it('GIVEN an entry under a token id that is not an issued token THEN it cannot be revoked by id', async () => {
		const revocations = await revocationsWith();
		await store.set(`issued:${JTI}`, { guildId: GUILD, userId: 'u' } as never);
		expect(await revocations.issued(GUILD, JTI)).to.equal(undefined);
		await store.set(`issued:${JTI}`, null as never);
		expect(await revocations.issued(GUILD, JTI)).to.equal(undefined);
	});

	it('GIVEN a token id revoked in one guild THEN a token of another guild with that id is not revoked by it', async () => {
		const revocations = await revocationsWith();
		await store.set(`jti:${JTI}`, { guildId: OTHER_GUILD, revokedBy: 'someone', at: NOW } as never);
		expect(await revocations.isRevoked(claims())).to.equal(false);
		await store.set(`jti:${JTI}`, null as never);
		revocations.invalidate(`jti:${JTI}`);
		expect(await revocations.isRevoked(claims())).to.equal(false);
	});

	it('GIVEN revokeAll twice, the second time on a clock behind THEN the cut-off never moves back', async () => {
		const revocations = await revocationsWith();
		expect(await revocations.revokeAll(GUILD)).to.equal(NOW / 1000);
		now = NOW - 5_000;
		expect(await revocations.revokeAll(GUILD)).to.equal(NOW / 1000);
		expect(await revocations.waitUntilIssuable(GUILD)).to.equal(6_000);
	});

	it('GIVEN a guild never revoked THEN a token can be issued at once', async () => {
		expect(await (await revocationsWith()).waitUntilIssuable(GUILD)).to.equal(0);
	});

	it('GIVEN more keys than the cache holds THEN the oldest is read again from the store, the newest is not', async () => {
		const revocations = await revocationsWith({ cacheSize: 2 });
		let reads = 0;
		const get = store.get.bind(store);
		store.get = ((key: string) => (reads++, get(key))) as typeof store.get;
		for (const guild of ['1', '2', '3']) await revocations.waitUntilIssuable(guild);
		reads = 0;
		await revocations.waitUntilIssuable('3');
		expect(reads, 'the newest is cached').to.equal(0);
		await revocations.waitUntilIssuable('2');
		expect(reads, 'the second newest is cached').to.equal(0);
		await revocations.waitUntilIssuable('1');
		expect(reads, 'the oldest was dropped').to.equal(1);
	});

	it('GIVEN a cached answer exactly as old as the staleness bound THEN it is read again', async () => {
		const revocations = await revocationsWith();
		expect(await revocations.isRevoked(claims())).to.equal(false);
		await store.set(`guild:${GUILD}`, (NOW / 1000) as never);
		now = NOW + 10_000;
		expect(await revocations.isRevoked(claims())).to.equal(true);
	});

	it('GIVEN the default cache size THEN ten thousand answers are kept', async () => {
		const revocations = await TokenRevocations.create({ store, bus, now: () => now, maximumStalenessMs: 10_000 });
		let reads = 0;
		const get = store.get.bind(store);
		store.get = ((key: string) => (reads++, get(key))) as typeof store.get;
		for (let guild = 0; guild < 10_000; guild++) await revocations.waitUntilIssuable(String(guild));
		reads = 0;
		await revocations.waitUntilIssuable('0');
		expect(reads).to.equal(0);
	});
});
