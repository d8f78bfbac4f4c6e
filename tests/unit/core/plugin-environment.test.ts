import { join } from 'node:path';
import { expect } from 'chai';
import { EnvironmentError } from '../../../src/core/env.js';
import notifications from '../../../plugins/notifications/plugin.js';
import { FIXTURES, PROJECT_PLUGINS, createTestBot, type TestBot } from '../../helpers/test-bot.js';
import { rejectionOf } from '../../helpers/rejection-of.js';
import alpha from '../../fixtures/plugin-lifecycle/plugins/alpha/plugin.js';

const ROOT = join(FIXTURES, 'plugin-lifecycle');

function fixtureBot(env: Record<string, string>): Promise<TestBot> {
	return createTestBot({ pluginRoots: [join(ROOT, 'plugins')], configDirectory: join(ROOT, 'config'), env });
}

/** The problems of a bot that refused to start, by variable. */
async function startupProblems(start: Promise<TestBot>): Promise<{ message: string; problems: Record<string, string> }> {
	const error = await rejectionOf(start);
	if (!(error instanceof EnvironmentError)) throw new Error(`expected an EnvironmentError, got ${String(error)}`);
	return { message: error.message, problems: Object.fromEntries(error.problems.map(({ variable, problem }) => [variable, problem])) };
}

describe('Plugin environment variables', () => {
	let bot: TestBot | undefined;

	afterEach(async () => {
		await bot?.stop();
		bot = undefined;
	});

	it('GIVEN a plugin’s variable missing and another bad THEN start-up fails naming both and the plugin, as the core names its own', async () => {
		const { message, problems } = await startupProblems(fixtureBot({ ALPHA_GREETING: 'hi' }));
		expect(problems).to.deep.equal({
			ALPHA_GREETING: 'must be at least 3 characters (read by the alpha plugin)',
			ALPHA_TOKEN: 'is required (the token of the alpha service) (read by the alpha plugin)'
		});
		expect(message).to.equal(
			[
				'2 environment variables need attention:',
				'  - ALPHA_GREETING must be at least 3 characters (read by the alpha plugin)',
				'  - ALPHA_TOKEN is required (the token of the alpha service) (read by the alpha plugin)',
				'See README.md#configuration and .env.example.'
			].join('\n')
		);
	});

	it('GIVEN a bad value of a secret variable THEN the problem never quotes it', async () => {
		const { message } = await startupProblems(fixtureBot({ ALPHA_TOKEN: 'secret-value', ALPHA_GREETING: 'no' }));
		expect(message).to.not.include('secret-value').and.not.include('"no"');
	});

	it('GIVEN an empty value THEN it counts as unset and the schema’s default applies', async () => {
		bot = await fixtureBot({ ALPHA_TOKEN: 'alpha-token-value', ALPHA_GREETING: '' });
		expect(alpha.env()).to.deep.equal({ ALPHA_GREETING: 'hello', ALPHA_TOKEN: 'alpha-token-value' });
	});

	it('GIVEN NOTIFICATIONS_RETENTION_DAYS=0 for the project’s bot THEN start-up fails naming it and the notifications plugin', async () => {
		const { problems } = await startupProblems(createTestBot({ ...PROJECT_PLUGINS, env: { NOTIFICATIONS_RETENTION_DAYS: '0' } }));
		expect(problems).to.deep.equal({ NOTIFICATIONS_RETENTION_DAYS: 'must be at least 1 (read by the notifications plugin)' });
	});

	it('GIVEN the notifications plugin’s variables THEN their defaults and bounds are its schema’s', () => {
		const problemOf = (variable: string, value: string) =>
			rejectionOfSync(() => notifications.parseEnvironment({ [variable]: value })).problems.find((problem) => problem.variable === variable)
				?.problem;
		expect(notifications.parseEnvironment({})).to.deep.equal({
			NOTIFICATIONS_RETENTION_DAYS: 30,
			KALTURA_WEBHOOK_HASH: 'sha256',
			NOTIFICATIONS_MAX_EVENT_AGE_DAYS: 7
		});
		expect(notifications.parseEnvironment({ NOTIFICATIONS_RETENTION_DAYS: '7', KALTURA_WEBHOOK_HASH: 'SHA512' })).to.include({
			NOTIFICATIONS_RETENTION_DAYS: 7,
			KALTURA_WEBHOOK_HASH: 'sha512'
		});
		expect(problemOf('NOTIFICATIONS_RETENTION_DAYS', '3651')).to.equal('must be at most 3650 (read by the notifications plugin)');
		expect(problemOf('NOTIFICATIONS_RETENTION_DAYS', '1.5')).to.equal('must be a whole number (read by the notifications plugin)');
		expect(problemOf('NOTIFICATIONS_RETENTION_DAYS', 'a week')).to.equal('must be a number of days (read by the notifications plugin)');
		expect(problemOf('NOTIFICATIONS_MAX_EVENT_AGE_DAYS', '366')).to.equal('must be at most 365 (read by the notifications plugin)');
		expect(problemOf('KALTURA_WEBHOOK_HASH', 'md5')).to.equal('must be sha1, sha256 or sha512 (read by the notifications plugin)');
	});
});

function rejectionOfSync(run: () => unknown): EnvironmentError {
	try {
		run();
	} catch (error) {
		if (error instanceof EnvironmentError) return error;
		throw error;
	}
	throw new Error('expected an EnvironmentError');
}
