/**
 * Fault injection and counters of the Kaltura stand-in, seen through the REAL kaltura-client
 * (how it surfaces latency, API errors, timeouts, dropped connections and non-200 answers).
 */
import { expect } from 'chai';
import { createKalturaClient, kaltura, KalturaStandIn, type KalturaClient } from '../../harness/kaltura/index.js';
import { rejectionOf } from '../../helpers/rejection-of.js';

describe('Kaltura stand-in: fault injection and stats', function () {
	let k: KalturaStandIn;
	let ks: string;
	let client: KalturaClient;

	before(async function () {
		k = await KalturaStandIn.start({ partnerId: 31337, adminSecret: 'faulty' });
		ks = k.mintKs({ userId: 'ops' });
	});
	after(async function () {
		await k.stop();
	});
	beforeEach(function () {
		k.faults.clear();
		k.stats.reset();
		client = createKalturaClient(k.serviceUrl, { ks, timeout: 2000 });
	});

	it('GIVEN global latency THEN every request is slower by about that much', async function () {
		k.faults.latency(150);
		const t0 = Date.now();
		await kaltura.services.media.listAction().execute(client);
		expect(Date.now() - t0).to.be.within(140, 1000);
	});

	it('GIVEN latency on one service/action THEN only that action is delayed', async function () {
		const rule = k.faults.latency(200, { match: { service: 'user', action: 'list' } });
		let t0 = Date.now();
		await kaltura.services.media.listAction().execute(client);
		expect(Date.now() - t0).to.be.below(150);
		t0 = Date.now();
		await kaltura.services.user.listAction().execute(client);
		expect(Date.now() - t0).to.be.at.least(190);
		expect(rule.hits).to.equal(1);
	});

	it('GIVEN an injected error once THEN the first call fails with it and the next succeeds', async function () {
		const rule = k.faults.error('INTERNAL_SERVERL_ERROR', { match: { service: 'media', action: 'list' } });
		const err = await rejectionOf(kaltura.services.media.listAction().execute(client));
		expect(err).to.deep.equal({
			code: 'INTERNAL_SERVERL_ERROR',
			message: 'Internal server error occurred',
			objectType: 'KalturaAPIException',
			args: []
		});
		const ok = await kaltura.services.media.listAction().execute(client);
		expect(ok.objectType).to.equal('KalturaMediaListResponse');
		expect(rule.hits).to.equal(1);
		expect(k.stats.byAction.get('media.list')).to.include({ calls: 2, errors: 1 });
	});

	it('GIVEN an error N times / always THEN it fires exactly that often; known codes get their real message', async function () {
		k.faults.error('ACTION_BLOCKED', {
			match: { service: 'scheduleEvent' },
			times: 2,
			args: { ACTION_NAME: 'list', SERVICE_NAME: 'scheduleevent' }
		});
		const e1 = await rejectionOf(kaltura.services.scheduleEvent.listAction().execute(client));
		expect(e1.message).to.equal('Action "list" in service "scheduleevent" is blocked');
		await rejectionOf(kaltura.services.scheduleEvent.listAction().execute(client));
		await kaltura.services.scheduleEvent.listAction().execute(client);

		const always = k.faults.error('ENTRY_ID_NOT_FOUND', {
			match: { service: 'media', action: 'get' },
			times: 'always',
			args: { ENTRY_ID: '0_x' }
		});
		for (let i = 0; i < 3; i++) {
			const e = await rejectionOf(kaltura.services.media.get('0_x').execute(client));
			expect(e.code).to.equal('ENTRY_ID_NOT_FOUND');
		}
		expect(always.remaining).to.equal(Infinity);
		always.remove();
	});

	it('GIVEN an injected error inside a multirequest THEN only that sub-result is the error', async function () {
		k.faults.error('INTERNAL_SERVERL_ERROR', { match: { service: 'user', action: 'list' } });
		const res = await kaltura.services.media.listAction().add(kaltura.services.user.listAction()).execute(client);
		expect(res[0].objectType).to.equal('KalturaMediaListResponse');
		expect(res[1].code).to.equal('INTERNAL_SERVERL_ERROR');
	});

	it("GIVEN a request that is never answered THEN kaltura-client's timeout rejects with an AxiosError ECONNABORTED", async function () {
		k.faults.timeout({ match: { service: 'media', action: 'list' } });
		const short = createKalturaClient(k.serviceUrl, { ks, timeout: 250 });
		const t0 = Date.now();
		const err = await rejectionOf(kaltura.services.media.listAction().execute(short));
		expect(Date.now() - t0).to.be.within(200, 2000);
		expect(err).to.be.instanceOf(Error);
		expect(err.isAxiosError).to.equal(true);
		expect(err.code).to.equal('ECONNABORTED');
		expect(k.stats.hung).to.equal(1);
	});

	it('GIVEN an answer delayed past the timeout / within it THEN the client times out / gets the late result', async function () {
		k.faults.timeout({ afterMs: 400, times: 2 });
		const short = createKalturaClient(k.serviceUrl, { ks, timeout: 150 });
		const err = await rejectionOf(kaltura.services.media.listAction().execute(short));
		expect(err.code).to.equal('ECONNABORTED');
		const t0 = Date.now();
		const late = await kaltura.services.media.listAction().execute(client);
		expect(late.objectType).to.equal('KalturaMediaListResponse');
		expect(Date.now() - t0).to.be.at.least(390);
	});

	it('GIVEN a dropped connection THEN kaltura-client rejects with a network AxiosError, not a hang', async function () {
		k.faults.drop({ match: { service: 'media' } });
		const t0 = Date.now();
		const err = await rejectionOf(kaltura.services.media.listAction().execute(client));
		expect(Date.now() - t0).to.be.below(1000);
		// an AxiosError built with AxiosError.from(): constructor AxiosError, but name 'Error' (copied from the cause)
		expect(err.isAxiosError).to.equal(true);
		expect(err.constructor.name).to.equal('AxiosError');
		expect(err.code).to.equal('ECONNRESET');
		expect(err.response).to.equal(undefined);
		expect(k.stats.dropped).to.equal(1);
	});

	it('GIVEN a connection dropped after the headers THEN it rejects too', async function () {
		k.faults.drop({ phase: 'after-headers' });
		const err = await rejectionOf(kaltura.services.media.listAction().execute(client));
		expect(err.isAxiosError).to.equal(true);
	});

	it('GIVEN a proxy answering HTTP 502 THEN kaltura-client rejects with an AxiosError carrying the response', async function () {
		k.faults.httpStatus(502);
		const err = await rejectionOf(kaltura.services.media.listAction().execute(client));
		expect(err.isAxiosError).to.equal(true);
		expect((err.response as { status: number }).status).to.equal(502);
	});

	it('GIVEN 6 parallel calls with latency THEN peak in-flight counts them; counters are per service/action', async function () {
		k.faults.latency(120, { match: { service: 'media', action: 'list' }, times: 'always' });
		await Promise.all(Array.from({ length: 6 }, () => kaltura.services.media.listAction().execute(client)));
		await kaltura.services.user.listAction().execute(client);
		expect(k.stats.requests).to.equal(7);
		expect(k.stats.peakInFlight).to.equal(6);
		expect(k.stats.inFlight).to.equal(0);
		expect(k.stats.peakInFlightOf('media', 'list')).to.equal(6);
		expect(k.stats.peakInFlightOf('user', 'list')).to.equal(1);
		expect(k.stats.count('media', 'listAction')).to.equal(6);
		const rec = k.stats.callsTo('user', 'list')[0];
		expect(rec).to.include({ service: 'user', action: 'list', ksUserId: 'ops', ksType: 2, multirequest: false });
	});
});
