import { expect } from 'chai';
import kalturaClient from 'kaltura-client';
import { KALTURA_BUSY_MESSAGE, KalturaError, toKalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import { KalturaFacade, type BusyRetryPolicy } from '../../../src/core/kaltura/kaltura-facade.js';
import { LocalKsSource, type KalturaAccount } from '../../../src/core/kaltura/ks-sources.js';
import { buildKsV2, KalturaSessionType } from '../../../src/core/kaltura/ks-v2.js';
import { SessionCache, type KsSource } from '../../../src/core/kaltura/session-cache.js';
import { createKalturaClient, KalturaStandIn } from '../../harness/kaltura/index.js';
import { rejectionOf } from '../../helpers/rejection-of.js';

const PARTNER_ID = 5151;
const ADMIN_SECRET = 'rate-limit-suite-admin-secret-0123';
const SEARCH = { userId: 'discord-bot-search', privileges: 'list:*' } as const;
const listMedia = () => kalturaClient.services.media!.listAction!();

interface ListResponse {
	totalCount: number;
}

/** A bare request's answer is `unknown` to the facade; these tests read it as the list response the stand-in sends. */
const asList = (answer: unknown) => answer as ListResponse;

describe('Kaltura rate limits: ACTION_BLOCKED and an used-up actionslimit (KalturaFacade against the Kaltura stand-in)', () => {
	let kaltura: KalturaStandIn;
	let account: KalturaAccount;
	/** The waits the facade asked for, in order. */
	let waits: number[];
	const policy = (overrides: Partial<BusyRetryPolicy> = {}): BusyRetryPolicy => ({
		attempts: 4,
		baseDelayMs: 100,
		maxTotalMs: 1_000,
		random: () => 0.5,
		sleep: async (ms) => {
			waits.push(ms);
		},
		...overrides
	});
	const facadeWith = (retry: BusyRetryPolicy, source: KsSource = new LocalKsSource({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET })) =>
		new KalturaFacade(account, new SessionCache(source), undefined, retry);
	const mediaLists = () => kaltura.stats.log.filter((call) => call.service === 'media' && call.action === 'list');

	before(async () => {
		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET });
		kaltura.state.addEntry({ name: 'Welcome video', tags: 'welcome' });
		account = { serviceUrl: kaltura.serviceUrl, partnerId: PARTNER_ID, timeoutMs: 2_000 };
	});

	after(async () => {
		await kaltura?.stop();
	});

	beforeEach(() => {
		waits = [];
		kaltura.faults.clear();
		kaltura.stats.reset();
	});

	it('GIVEN ACTION_BLOCKED injected THEN the stand-in answers it as Kaltura does: the blocked action and service named in its args', async () => {
		kaltura.faults.actionBlocked({ match: { service: 'media', action: 'list' } });
		const client = createKalturaClient(kaltura.serviceUrl);
		client.setKs(kaltura.mintKs());
		const rejection = await rejectionOf(listMedia().execute(client as never));
		expect(rejection).to.deep.include({
			code: 'ACTION_BLOCKED',
			message: 'Action "list" in service "media" is blocked',
			args: { ACTION_NAME: 'list', SERVICE_NAME: 'media' }
		});
	});

	it('GIVEN ACTION_BLOCKED twice THEN the call is tried again after growing waits and succeeds', async () => {
		kaltura.faults.actionBlocked({ match: { service: 'media', action: 'list' }, times: 2 });
		const result = await facadeWith(policy()).call(SEARCH, listMedia).then(asList);
		expect(result.totalCount).to.equal(1);
		expect(mediaLists().map((call) => call.errorCode ?? 'ok')).to.deep.equal(['ACTION_BLOCKED', 'ACTION_BLOCKED', 'ok']);
		// half of each doubling step plus half of the jitter's share: 75 ms, then 150 ms
		expect(waits).to.deep.equal([75, 150]);
	});

	it('GIVEN jitter THEN each wait stays between half and all of its step', async () => {
		kaltura.faults.actionBlocked({ match: { service: 'media', action: 'list' }, times: 3 });
		await facadeWith(policy({ random: () => 0 })).call(SEARCH, listMedia);
		expect(waits).to.deep.equal([50, 100, 200]);
		waits = [];
		kaltura.faults.actionBlocked({ match: { service: 'media', action: 'list' }, times: 3 });
		await facadeWith(policy({ random: () => 0.999_999 })).call(SEARCH, listMedia);
		expect(waits).to.deep.equal([100, 200, 400]);
	});

	it('GIVEN ACTION_BLOCKED beyond the retry budget THEN a transient KalturaError says Kaltura is busy, after a bounded wait', async () => {
		kaltura.faults.actionBlocked({ match: { service: 'media', action: 'list' }, times: 'always' });
		const error = await rejectionOf(facadeWith(policy()).call(SEARCH, listMedia));
		expect(error).to.be.instanceOf(KalturaError);
		expect(error).to.include({ code: 'ACTION_BLOCKED', userMessage: KALTURA_BUSY_MESSAGE, transient: true });
		expect(mediaLists()).to.have.length(4);
		expect(waits.reduce((sum, ms) => sum + ms, 0)).to.be.at.most(1_000);
	});

	it('GIVEN a total wait cap smaller than the steps THEN the waits stop at the cap', async () => {
		kaltura.faults.actionBlocked({ match: { service: 'media', action: 'list' }, times: 'always' });
		const error = await rejectionOf(facadeWith(policy({ attempts: 10, maxTotalMs: 300 })).call(SEARCH, listMedia));
		expect(error).to.include({ code: 'ACTION_BLOCKED', userMessage: KALTURA_BUSY_MESSAGE });
		expect(waits).to.deep.equal([75, 150, 75]);
	});

	it('GIVEN an ADMIN call blocked once THEN it is retried too (Kaltura blocks before the action runs)', async () => {
		kaltura.faults.actionBlocked({ match: { service: 'user', action: 'list' } });
		const result = await facadeWith(policy())
			.admin({ actions: ['user.list'], why: 'the test reads users' }, () => kalturaClient.services.user!.listAction!())
			.then(asList);
		expect(result).to.have.property('totalCount');
		expect(waits).to.have.length(1);
	});

	it('GIVEN another Kaltura error THEN it is not retried', async () => {
		kaltura.faults.error('SERVICE_FORBIDDEN', { match: { service: 'media', action: 'list' }, args: { SERVICE: 'media->list' } });
		const error = await rejectionOf(facadeWith(policy()).call(SEARCH, listMedia));
		expect(error).to.include({ code: 'SERVICE_FORBIDDEN' });
		expect(waits).to.deep.equal([]);
		expect(mediaLists()).to.have.length(1);
	});

	it('GIVEN a session whose actionslimit is used up THEN Kaltura’s INVALID_KS carries EXCEEDED_ACTIONS_LIMIT and the call goes on with a new session', async () => {
		const facade = facadeWith(policy());
		const limited = { userId: 'discord-bot-search', privileges: 'list:*,actionslimit:1' };
		await facade.call(limited, listMedia);
		await facade.call(limited, listMedia);
		const calls = mediaLists();
		expect(calls.map((call) => call.errorCode ?? 'ok')).to.deep.equal(['ok', 'INVALID_KS', 'ok']);
		expect(calls[2]!.ks).to.not.equal(calls[0]!.ks);
	});

	it('GIVEN Kaltura refuses the new session too for its actions limit THEN “Kaltura is busy”, and the KS is nowhere in the error', async () => {
		const usedUp = buildKsV2({
			partnerId: PARTNER_ID,
			adminSecret: ADMIN_SECRET,
			userId: 'discord-bot-search',
			type: KalturaSessionType.User,
			expirySeconds: 600,
			privileges: 'list:*,actionslimit:0'
		});
		const sameKs: KsSource = { mint: async () => ({ ks: usedUp }) };
		const error = await rejectionOf(facadeWith(policy(), sameKs).call(SEARCH, listMedia));
		expect(error).to.be.instanceOf(KalturaError);
		expect(error).to.include({ code: 'INVALID_KS', reason: 'EXCEEDED_ACTIONS_LIMIT', userMessage: KALTURA_BUSY_MESSAGE, transient: true });
		expect(JSON.stringify(error)).to.not.include(usedUp);
		expect(String(error.message)).to.not.include(usedUp);
		expect(mediaLists()).to.have.length(2);
	});

	describe('toKalturaError', () => {
		it('GIVEN INVALID_KS with a reason THEN the reason is kept; GIVEN the KS in its place THEN no reason is read from it', () => {
			expect(
				toKalturaError({
					code: 'INVALID_KS',
					message: 'Invalid KS "EXPIRED", Error "-1,INVALID_STR"',
					args: { KSID: 'EXPIRED', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' }
				})
			).to.include({
				reason: 'EXPIRED',
				userMessage: 'The bot’s Kaltura session was refused. Please try again.'
			});
			const ks = 'djJ8NTE1MXxzb21ldGhpbmc=';
			const unreadable = toKalturaError({
				code: 'INVALID_KS',
				message: `Invalid KS "${ks}", Error "-1,INVALID_STR"`,
				args: { KSID: ks, ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' }
			});
			expect(unreadable.reason).to.equal(undefined);
			expect(JSON.stringify(unreadable)).to.not.include(ks);
		});

		it('GIVEN a top-level EXCEEDED_ACTIONS_LIMIT (which Kaltura never sends) THEN it is an unknown code, not a rate limit', () => {
			expect(toKalturaError({ code: 'EXCEEDED_ACTIONS_LIMIT', message: 'x' })).to.include({ transient: false });
		});
	});
});
