import { expect } from 'chai';
import { type EnvironmentError, parseEnvironment, SECRET_VARIABLES, type Environment } from '../../../src/core/env.js';
import { AppTokenKsSource, createKsSource, createMemberKsSource, LocalKsSource, SessionStartKsSource } from '../../../src/core/kaltura/ks-sources.js';
import { problemsOf } from '../../helpers/environment-problems.js';

const BASE = {
	DISCORD_TOKEN: 'token-value',
	KALTURA_PARTNER_ID: '12345',
	JWT_SECRET: 'x'.repeat(32)
};
const ADMIN_SECRET = 'a-long-admin-secret';
const APP_TOKEN = { KALTURA_APP_TOKEN_ID: '0_abcd1234', KALTURA_APP_TOKEN: '0123456789abcdef0123456789abcdef' };
/** The second token, for members' join links: required with app-token. */
const MEMBER_TOKEN = { KALTURA_MEMBER_APP_TOKEN_ID: '0_memb5678', KALTURA_MEMBER_APP_TOKEN: 'fedcba9876543210fedcba9876543210' };
const MEMBER_PROBLEMS = {
	KALTURA_MEMBER_APP_TOKEN_ID: 'is required with KALTURA_SESSION_SOURCE=app-token (the id of a second app token, for members’ join links)',
	KALTURA_MEMBER_APP_TOKEN: 'is required with KALTURA_SESSION_SOURCE=app-token (the token value of the members’ app token)'
};

const ACCOUNT = { serviceUrl: 'https://www.kaltura.com', partnerId: 12345, timeoutMs: 1000 };

describe('Environment: Kaltura session source rules', () => {
	it('GIVEN no source THEN local is the default and the admin secret is required, in the existing wording', () => {
		expect(parseEnvironment({ ...BASE, KALTURA_ADMIN_SECRET: ADMIN_SECRET })).to.include({
			KALTURA_SESSION_SOURCE: 'local',
			KALTURA_APP_TOKEN_HASH_TYPE: 'SHA1'
		});
		expect(problemsOf(BASE)).to.deep.equal({
			KALTURA_ADMIN_SECRET:
				'is required (the partner admin secret from the KMC integration settings) unless KALTURA_SESSION_SOURCE is app-token'
		});
	});

	for (const source of ['local', 'session-start']) {
		it(`GIVEN KALTURA_SESSION_SOURCE=${source} THEN the admin secret is required and app-token variables are not`, () => {
			expect(Object.keys(problemsOf({ ...BASE, KALTURA_SESSION_SOURCE: source, KALTURA_ADMIN_SECRET: '' }))).to.deep.equal([
				'KALTURA_ADMIN_SECRET'
			]);
			const env = parseEnvironment({ ...BASE, KALTURA_SESSION_SOURCE: source, KALTURA_ADMIN_SECRET: ADMIN_SECRET });
			expect(env).to.include({ KALTURA_SESSION_SOURCE: source, KALTURA_ADMIN_SECRET: ADMIN_SECRET });
		});
	}

	it('GIVEN KALTURA_SESSION_SOURCE=app-token THEN the bot’s and the members’ token ids and tokens are required and the admin secret is not', () => {
		expect(problemsOf({ ...BASE, KALTURA_SESSION_SOURCE: 'app-token' })).to.deep.equal({
			KALTURA_APP_TOKEN_ID: 'is required with KALTURA_SESSION_SOURCE=app-token (the id of the app token made for the bot)',
			KALTURA_APP_TOKEN: 'is required with KALTURA_SESSION_SOURCE=app-token (the token value of that app token)',
			...MEMBER_PROBLEMS
		});
		expect(
			Object.keys(
				problemsOf({ ...BASE, KALTURA_SESSION_SOURCE: 'app-token', KALTURA_APP_TOKEN_ID: APP_TOKEN.KALTURA_APP_TOKEN_ID, ...MEMBER_TOKEN })
			)
		).to.deep.equal(['KALTURA_APP_TOKEN']);
		// Without the members' token, join links would come from the bot's own (one member could end all its sessions).
		expect(problemsOf({ ...BASE, KALTURA_SESSION_SOURCE: 'app-token', ...APP_TOKEN })).to.deep.equal(MEMBER_PROBLEMS);
		const env = parseEnvironment({ ...BASE, KALTURA_SESSION_SOURCE: 'app-token', ...APP_TOKEN, ...MEMBER_TOKEN });
		expect(env).to.include({
			KALTURA_SESSION_SOURCE: 'app-token',
			...APP_TOKEN,
			...MEMBER_TOKEN,
			KALTURA_APP_TOKEN_HASH_TYPE: 'SHA1',
			KALTURA_MEMBER_APP_TOKEN_HASH_TYPE: 'SHA1'
		});
		expect(env.KALTURA_ADMIN_SECRET).to.equal(undefined);
	});

	it('GIVEN the members’ token is the bot’s own THEN it is refused', () => {
		expect(
			problemsOf({
				...BASE,
				KALTURA_SESSION_SOURCE: 'app-token',
				...APP_TOKEN,
				...MEMBER_TOKEN,
				KALTURA_MEMBER_APP_TOKEN_ID: APP_TOKEN.KALTURA_APP_TOKEN_ID
			})
		).to.deep.equal({
			KALTURA_MEMBER_APP_TOKEN_ID:
				'must name another app token than KALTURA_APP_TOKEN_ID (members’ sessions must not come from the bot’s own token)'
		});
	});

	it('GIVEN the cross-field rules break along with other variables THEN one error lists them all, in declaration order', () => {
		const error = (() => {
			try {
				parseEnvironment({ KALTURA_SESSION_SOURCE: 'app-token', API_PORT: 'many' });
			} catch (caught) {
				return caught as EnvironmentError;
			}
			return expect.fail('should have thrown');
		})();
		expect(error.problems.map(({ variable }) => variable)).to.deep.equal([
			'DISCORD_TOKEN',
			'KALTURA_PARTNER_ID',
			'KALTURA_APP_TOKEN_ID',
			'KALTURA_APP_TOKEN',
			'KALTURA_MEMBER_APP_TOKEN_ID',
			'KALTURA_MEMBER_APP_TOKEN',
			'JWT_SECRET',
			'API_PORT'
		]);
		expect(error.message).to.match(/^8 environment variables need attention:/);
	});

	it('GIVEN an unknown source THEN only the source is reported, not guessed credentials', () => {
		expect(problemsOf({ ...BASE, KALTURA_SESSION_SOURCE: 'app_token' })).to.deep.equal({
			KALTURA_SESSION_SOURCE: 'must be local, session-start or app-token'
		});
	});

	it('GIVEN a hash type THEN SHA1, SHA256, SHA512 and MD5 are accepted in any case, anything else refused', () => {
		for (const [given, parsed] of [
			['sha256', 'SHA256'],
			['SHA512', 'SHA512'],
			['md5', 'MD5'],
			['', 'SHA1']
		] as const) {
			expect(
				parseEnvironment({ ...BASE, KALTURA_SESSION_SOURCE: 'app-token', ...APP_TOKEN, ...MEMBER_TOKEN, KALTURA_APP_TOKEN_HASH_TYPE: given })
					.KALTURA_APP_TOKEN_HASH_TYPE
			).to.equal(parsed);
			expect(
				parseEnvironment({
					...BASE,
					KALTURA_SESSION_SOURCE: 'app-token',
					...APP_TOKEN,
					...MEMBER_TOKEN,
					KALTURA_MEMBER_APP_TOKEN_HASH_TYPE: given
				}).KALTURA_MEMBER_APP_TOKEN_HASH_TYPE
			).to.equal(parsed);
		}
		expect(problemsOf({ ...BASE, KALTURA_ADMIN_SECRET: ADMIN_SECRET, KALTURA_APP_TOKEN_HASH_TYPE: 'sha3' })).to.deep.equal({
			KALTURA_APP_TOKEN_HASH_TYPE: 'must be SHA1, SHA256, SHA512 or MD5'
		});
	});

	it('GIVEN malformed app-token values THEN each is named, and the token value never appears in the error', () => {
		const token = 'shrt-tk';
		try {
			parseEnvironment({
				...BASE,
				KALTURA_SESSION_SOURCE: 'app-token',
				...MEMBER_TOKEN,
				KALTURA_APP_TOKEN_ID: 'not an id',
				KALTURA_APP_TOKEN: token
			});
			expect.fail('should have thrown');
		} catch (error) {
			expect((error as EnvironmentError).problems).to.deep.equal([
				{ variable: 'KALTURA_APP_TOKEN_ID', problem: 'must be a Kaltura app token id such as 0_abcd1234' },
				{ variable: 'KALTURA_APP_TOKEN', problem: 'is too short to be a Kaltura app token' }
			]);
			expect((error as Error).message).to.not.include(token);
		}
	});

	it('GIVEN the secret variables THEN the app token is one of them (redacted in logs and replies)', () => {
		expect(SECRET_VARIABLES).to.include('KALTURA_APP_TOKEN');
		expect(SECRET_VARIABLES).to.include('KALTURA_MEMBER_APP_TOKEN');
		expect(SECRET_VARIABLES).to.include('KALTURA_ADMIN_SECRET');
	});

	describe('createKsSource', () => {
		const envFor = (source: Record<string, string>): Environment => parseEnvironment({ ...BASE, ...source });

		it('GIVEN each session source THEN the matching KS source is built', () => {
			expect(createKsSource(ACCOUNT, envFor({ KALTURA_ADMIN_SECRET: ADMIN_SECRET }))).to.be.instanceOf(LocalKsSource);
			expect(createKsSource(ACCOUNT, envFor({ KALTURA_SESSION_SOURCE: 'session-start', KALTURA_ADMIN_SECRET: ADMIN_SECRET }))).to.be.instanceOf(
				SessionStartKsSource
			);
			expect(createKsSource(ACCOUNT, envFor({ KALTURA_SESSION_SOURCE: 'app-token', ...APP_TOKEN, ...MEMBER_TOKEN }))).to.be.instanceOf(
				AppTokenKsSource
			);
		});

		it('GIVEN each session source THEN members’ sessions come from a source of their own: the admin secret, or the members’ app token', () => {
			expect(createMemberKsSource(ACCOUNT, envFor({ KALTURA_ADMIN_SECRET: ADMIN_SECRET }))).to.be.instanceOf(LocalKsSource);
			expect(
				createMemberKsSource(ACCOUNT, envFor({ KALTURA_SESSION_SOURCE: 'session-start', KALTURA_ADMIN_SECRET: ADMIN_SECRET }))
			).to.be.instanceOf(SessionStartKsSource);
			const env = envFor({ KALTURA_SESSION_SOURCE: 'app-token', ...APP_TOKEN, ...MEMBER_TOKEN });
			expect(createMemberKsSource(ACCOUNT, env)).to.be.instanceOf(AppTokenKsSource).and.not.equal(createKsSource(ACCOUNT, env));
		});
	});
});
