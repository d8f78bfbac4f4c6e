import { expect } from 'chai';
import { KalturaError } from '../../src/core/kaltura/kaltura-error.js';
import { buildKsV2, KalturaSessionType } from '../../src/core/kaltura/ks-v2.js';
import { CleanupStack } from '../../scripts/check-live/cleanup.js';
import { kalturaFix, type KalturaFixContext } from '../../scripts/check-live/kaltura-fixes.js';
import { exitCodeOf, formatReport, type StepResult } from '../../scripts/check-live/report.js';
import { liveCheckRedactor } from '../../scripts/check-live/run.js';

const CONTEXT: KalturaFixContext = { partnerId: 1234, serviceUrl: 'https://www.kaltura.com', timeoutMs: 10_000, source: 'app-token' };
const ok = (id: string): StepResult => ({ id, service: 'Kaltura', step: id, status: 'ok', detail: 'fine' });

describe('npm run check:live: report, fixes and clean-up', () => {
	describe('exitCodeOf', () => {
		it('GIVEN warnings and skipped steps only THEN 0; GIVEN one failed step (a clean-up too) THEN 1', () => {
			expect(exitCodeOf([ok('a'), { ...ok('b'), status: 'warn' }, { ...ok('c'), status: 'skipped' }])).to.equal(0);
			expect(exitCodeOf([ok('a'), { ...ok('cleanup.schedule-event'), status: 'failed', fix: 'delete it' }])).to.equal(1);
		});
	});

	describe('formatReport', () => {
		const secret = 'the-partner-admin-secret-value';
		const ks = buildKsV2({
			partnerId: 1234,
			adminSecret: secret,
			userId: 'bot',
			type: KalturaSessionType.Admin,
			privileges: '',
			expirySeconds: 60
		});

		it('GIVEN a row quoting a configured secret and a KS THEN neither is printed', () => {
			const text = formatReport(
				'heading',
				[{ ...ok('a'), status: 'failed', detail: `refused ${secret} and ${ks}`, fix: `not ${secret}` }],
				liveCheckRedactor({ KALTURA_ADMIN_SECRET: secret })
			);
			expect(text).to.not.include(secret).and.not.include(ks);
			expect(text).to.include('[REDACTED]');
		});

		it('GIVEN a failed row THEN its fix is on the next line, and the summary says the check failed', () => {
			const lines = formatReport(
				'heading',
				[ok('first'), { ...ok('second'), status: 'failed', detail: 'no', fix: 'do this' }],
				liveCheckRedactor({})
			).split('\n');
			const failed = lines.findIndex((line) => line.includes('FAILED'));
			expect(lines[failed + 1]?.trim()).to.equal('fix: do this');
			expect(lines.at(-1)).to.equal('1 ok, 1 failed. The live check FAILED: see the fixes above.');
		});
	});

	describe('kalturaFix', () => {
		it('GIVEN an expired app token THEN the fix names the token’s variables, the members’ ones for the members’ session', () => {
			const expired = new KalturaError('APP_TOKEN_EXPIRED', 'expired', false);
			expect(kalturaFix(expired, 'session', CONTEXT)).to.include('KALTURA_APP_TOKEN_ID has expired');
			expect(kalturaFix(expired, 'members-session', CONTEXT)).to.include('KALTURA_MEMBER_APP_TOKEN_ID has expired');
		});

		it('GIVEN Kaltura’s reason for refusing a session THEN the fix follows it: the clock for EXPIRED, the secret otherwise', () => {
			const local: KalturaFixContext = { ...CONTEXT, source: 'local' };
			expect(kalturaFix(new KalturaError('INVALID_KS', 'refused', false, 'EXPIRED'), 'session', local)).to.include('clock');
			expect(kalturaFix(new KalturaError('INVALID_KS', 'refused', false, 'INVALID_STR'), 'session', local)).to.include('KALTURA_ADMIN_SECRET');
			expect(kalturaFix(new KalturaError('INVALID_KS', 'refused', false), 'session', CONTEXT)).to.include('KALTURA_APP_TOKEN_ID');
		});

		it('GIVEN a timeout THEN the fix names KALTURA_TIMEOUT_MS and its value', () => {
			expect(kalturaFix(new KalturaError('TIMEOUT', 'late', true), 'media', CONTEXT)).to.include('KALTURA_TIMEOUT_MS (10000 ms)');
		});

		it('GIVEN Kaltura’s rate limit (ACTION_BLOCKED) THEN the fix is to run again later', () => {
			expect(kalturaFix(new KalturaError('ACTION_BLOCKED', 'busy', true), 'schedule', CONTEXT)).to.include(
				'run the check again in a few minutes'
			);
		});

		it('GIVEN the same refusal on the schedule services and on the templates THEN each fix names the feature it concerns', () => {
			const forbidden = new KalturaError('SERVICE_FORBIDDEN', 'no', false);
			expect(kalturaFix(forbidden, 'schedule', CONTEXT)).to.include('meetings (Schedule) feature is off on partner 1234');
			expect(kalturaFix(forbidden, 'templates', CONTEXT)).to.include('event notifications feature is off on partner 1234');
		});

		it('GIVEN a code the check does not know THEN the fix still names it', () => {
			expect(
				kalturaFix(new KalturaError('SOMETHING_NEW', 'Kaltura refused the request (SOMETHING_NEW).', false), 'category', CONTEXT)
			).to.include('SOMETHING_NEW');
		});
	});

	describe('CleanupStack', () => {
		it('GIVEN three things made THEN they are removed last first, and a failed removal is a row while the others still go', async () => {
			const removed: string[] = [];
			const stack = new CleanupStack();
			for (const name of ['category', 'resource', 'event']) {
				stack.add({
					id: `cleanup.${name}`,
					service: 'Kaltura',
					what: name,
					remove: () => {
						if (name === 'resource') return Promise.reject(new Error('refused'));
						removed.push(name);
						return Promise.resolve();
					},
					byHand: `delete the ${name}`,
					describe: (error) => (error as Error).message
				});
			}
			const rows = await stack.removeAll();
			expect(removed).to.deep.equal(['event', 'category']);
			expect(rows).to.deep.equal([
				{
					id: 'cleanup.resource',
					service: 'Kaltura',
					step: 'clean-up: delete resource',
					status: 'failed',
					detail: 'it is still there: refused',
					fix: 'Delete it by hand: delete the resource'
				}
			]);
			expect(await stack.removeAll(), 'nothing is removed twice').to.deep.equal([]);
		});
	});
});
