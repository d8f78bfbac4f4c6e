import { expect } from 'chai';
import { buildKsV2, KalturaSessionType } from '../../../src/core/kaltura/ks-v2.js';
import { SessionCache, type KsSource, type SessionRequest } from '../../../src/core/kaltura/session-cache.js';
import { toKalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import { parseKs } from '../../harness/kaltura/ks.js';

const SECRET = 'partner-admin-secret-0123456789';

describe('Kaltura sessions', () => {
	it('GIVEN a locally built KS v2 THEN Kaltura’s parser reads back partner, user, type, expiry and privileges', () => {
		const now = Math.floor(Date.now() / 1000);
		const ks = buildKsV2({
			partnerId: 987,
			adminSecret: SECRET,
			userId: 'discord_42',
			type: KalturaSessionType.User,
			expirySeconds: 600,
			privileges: 'role:viewerRole,eventId:55,firstName:Zoë & Co,*',
			now
		});
		expect(ks.startsWith('djJ8')).to.equal(true);
		const parsed = parseKs(ks, SECRET);
		expect(parsed).to.include({ partnerId: 987, userId: 'discord_42', type: 0, expiry: now + 600 });
		expect(parsed.privileges).to.deep.include({ role: 'viewerRole', eventId: '55', firstName: 'Zoë & Co', all: '*' });
	});

	it('GIVEN the wrong secret THEN the KS does not verify', () => {
		const ks = buildKsV2({ partnerId: 1, adminSecret: SECRET, userId: '', type: KalturaSessionType.Admin, expirySeconds: 60, privileges: '' });
		expect(() => parseKs(ks, 'another-secret-another-secret')).to.throw();
	});

	describe('SessionCache', () => {
		const request: SessionRequest = { userId: 'u', type: KalturaSessionType.User, privileges: 'list:*' };
		let clock = 1_000;
		let minted = 0;
		const source: KsSource = { mint: async () => ({ ks: `ks-${++minted}` }) };

		beforeEach(() => {
			clock = 1_000;
			minted = 0;
		});

		it('GIVEN repeated and concurrent requests THEN one KS is minted and reused', async () => {
			const cache = new SessionCache(source, { lifetimeSeconds: 600, now: () => clock });
			const results = await Promise.all([cache.get(request), cache.get(request), cache.get(request)]);
			expect(new Set(results)).to.deep.equal(new Set(['ks-1']));
			expect(await cache.get(request)).to.equal('ks-1');
			expect(minted).to.equal(1);
			expect(cache.stats()).to.deep.equal({ hits: 1, misses: 1 });
		});

		it('GIVEN a KS near its expiry THEN a new one is minted before it runs out', async () => {
			const cache = new SessionCache(source, { lifetimeSeconds: 600, renewBeforeSeconds: 60, now: () => clock });
			await cache.get(request);
			clock += 530;
			expect(await cache.get(request)).to.equal('ks-1');
			clock += 15;
			expect(await cache.get(request)).to.equal('ks-2');
		});

		it('GIVEN a source that grants a shorter session than asked THEN it is renewed before that shorter expiry', async () => {
			const short: KsSource = { mint: async () => ({ ks: `ks-${++minted}`, expiresAt: clock + 120 }) };
			const cache = new SessionCache(short, { lifetimeSeconds: 3600, renewBeforeSeconds: 60, now: () => clock });
			await cache.get(request);
			clock += 70;
			expect(await cache.get(request)).to.equal('ks-2');
		});

		it('GIVEN different privileges THEN they never share a KS', async () => {
			const cache = new SessionCache(source, { now: () => clock });
			expect(await cache.get(request)).to.not.equal(await cache.get({ ...request, privileges: 'list:*,edit:*' }));
		});

		it('GIVEN an invalidated session THEN the next request mints anew', async () => {
			const cache = new SessionCache(source, { now: () => clock });
			await cache.get(request);
			cache.invalidate(request);
			expect(await cache.get(request)).to.equal('ks-2');
		});
	});

	describe('toKalturaError', () => {
		it('GIVEN INVALID_KS whose message quotes the KS THEN the user message does not', () => {
			const ks = buildKsV2({ partnerId: 1, adminSecret: SECRET, userId: '', type: 0, expirySeconds: 60, privileges: '' });
			const error = toKalturaError({
				code: 'INVALID_KS',
				message: `Invalid KS "${ks}", Error "-1,INVALID_STR"`,
				objectType: 'KalturaAPIException',
				args: { KSID: ks }
			});
			expect(error.code).to.equal('INVALID_KS');
			expect(error.userMessage).to.not.include(ks);
			expect(error.message).to.not.include(ks);
		});

		it('GIVEN an unknown code THEN the code is named in a plain sentence', () => {
			expect(toKalturaError({ code: 'SOMETHING_NEW', message: 'x' }).userMessage).to.equal('Kaltura refused the request (SOMETHING_NEW).');
		});
	});
});
