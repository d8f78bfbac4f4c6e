import { expect } from 'chai';
import { Keyv } from 'keyv';
import {
	ApiTokenService,
	GUILD_MANAGE_SCOPE,
	MAXIMUM_TOKEN_LIFETIME_SECONDS,
	TOKEN_ID_PATTERN,
	type ApiTokenClaims
} from '../../../src/core/auth/api-tokens.js';
import { TokenRevocations } from '../../../src/core/auth/token-revocations.js';
import { LocalInvalidationBus } from '../../../src/core/storage/invalidation-bus.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const NOW = 1_800_000_000_000;

const claims = (extra: Partial<ApiTokenClaims> = {}): ApiTokenClaims => ({
	sub: '300000000000000001',
	guild_id: GUILD,
	scope: [GUILD_MANAGE_SCOPE],
	jti: '123e4567-e89b-42d3-a456-426614174000',
	iat: NOW / 1000 - 60,
	exp: NOW / 1000 + 600,
	...extra
});

describe('TokenRevocations', () => {
	let now: number;
	let store: Keyv<never>;
	let ttls: Map<string, number | undefined>;
	let bus: LocalInvalidationBus;
	let revocations: TokenRevocations;

	beforeEach(async () => {
		now = NOW;
		store = new Keyv<never>({ store: new Map() });
		ttls = new Map();
		const set = store.set.bind(store);
		store.set = (key: string, value: never, ttl?: number) => {
			ttls.set(key, ttl);
			return set(key, value, ttl);
		};
		bus = new LocalInvalidationBus();
		revocations = await TokenRevocations.create({ store, bus, now: () => now, maximumStalenessMs: 10_000 });
	});

	it('GIVEN revokeAll THEN the guild’s tokens issued up to that second are revoked, later ones and other guilds’ are not; the entry lives as long as a token can', async () => {
		const notBefore = await revocations.revokeAll(GUILD);
		expect(notBefore).to.equal(NOW / 1000);
		expect(await revocations.isRevoked(claims({ iat: NOW / 1000 - 3600 }))).to.equal(true);
		expect(await revocations.isRevoked(claims({ iat: NOW / 1000 }))).to.equal(true);
		expect(await revocations.isRevoked(claims({ iat: NOW / 1000 + 1 }))).to.equal(false);
		expect(await revocations.isRevoked(claims({ guild_id: OTHER_GUILD }))).to.equal(false);
		expect(ttls.get(`guild:${GUILD}`)).to.equal((MAXIMUM_TOKEN_LIFETIME_SECONDS + 1) * 1000);
		expect(await revocations.waitUntilIssuable(GUILD)).to.equal(1000);
		now += 1000;
		expect(await revocations.waitUntilIssuable(GUILD)).to.equal(0);
	});

	it('GIVEN revoke by id THEN only a token issued for that guild can be revoked, until it would have expired', async () => {
		const token = claims();
		expect(await revocations.revoke(GUILD, token.jti, 'admin')).to.equal(undefined);
		await revocations.recordIssued(token);
		expect(ttls.get(`issued:${token.jti}`)).to.equal(600_000);
		expect(await revocations.revoke(OTHER_GUILD, token.jti, 'admin')).to.equal(undefined);
		expect(await revocations.isRevoked(token)).to.equal(false);
		expect(await revocations.revoke(GUILD, token.jti, 'admin')).to.deep.equal({ guildId: GUILD, userId: token.sub, exp: token.exp });
		expect(await revocations.isRevoked(token)).to.equal(true);
		expect(ttls.get(`jti:${token.jti}`)).to.equal(601_000);
		expect(await revocations.isRevoked(claims({ jti: '223e4567-e89b-42d3-a456-426614174000' }))).to.equal(false);
	});

	it('GIVEN a revocation on another instance THEN the bus drops this instance’s cached answer at once', async () => {
		const token = claims();
		const elsewhere = await TokenRevocations.create({ store, bus, now: () => now });
		await elsewhere.recordIssued(token);
		expect(await revocations.isRevoked(token)).to.equal(false);
		await elsewhere.revoke(GUILD, token.jti, 'admin');
		expect(await revocations.isRevoked(token)).to.equal(true);
	});

	it('GIVEN a revocation whose bus message was missed THEN the cached answer is read again once it is older than the staleness bound', async () => {
		const token = claims();
		expect(await revocations.isRevoked(token)).to.equal(false);
		// Written by an instance whose publish never arrived here.
		await store.set(`guild:${GUILD}`, (NOW / 1000) as never);
		expect(await revocations.isRevoked(token)).to.equal(false);
		now += 10_001;
		expect(await revocations.isRevoked(token)).to.equal(true);
	});

	it('GIVEN a read in flight when a revocation arrives THEN its stale answer is not cached', async () => {
		const token = claims();
		const get = store.get.bind(store);
		let release!: () => void;
		const gate = new Promise<void>((done) => (release = done));
		let read!: () => void;
		const readDone = new Promise<void>((done) => (read = done));
		store.get = (async (key: string) => {
			const value = await get(key);
			if (key.startsWith('guild:')) read();
			await gate;
			return value;
		}) as typeof store.get;
		const pending = revocations.isRevoked(token);
		await readDone;
		await store.set(`guild:${GUILD}`, (NOW / 1000) as never);
		revocations.invalidate(`guild:${GUILD}`);
		release();
		expect(await pending).to.equal(false);
		store.get = get as typeof store.get;
		expect(await revocations.isRevoked(token)).to.equal(true);
	});

	it('GIVEN the store fails THEN isRevoked rejects rather than answering "not revoked"', async () => {
		store.get = (() => Promise.reject(new Error('store down'))) as typeof store.get;
		let failure: unknown;
		await revocations.isRevoked(claims()).catch((error: unknown) => (failure = error));
		expect(failure).to.be.instanceOf(Error);
	});

	it('GIVEN a token issued by the service THEN its id has the shape /api-token revoke accepts', () => {
		const verification = new ApiTokenService('a-secret-for-tests-that-is-32-bytes-or-more').verify(
			new ApiTokenService('a-secret-for-tests-that-is-32-bytes-or-more').issue({ userId: '1', guildId: '2', scope: [GUILD_MANAGE_SCOPE] })
		);
		expect(verification.ok && TOKEN_ID_PATTERN.test(verification.claims.jti)).to.equal(true);
	});
});
