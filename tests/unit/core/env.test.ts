import { expect } from 'chai';
import { EnvironmentError, parseEnvironment } from '../../../src/core/env.js';
import { problemsOf } from '../../helpers/environment-problems.js';

const VALID = {
	DISCORD_TOKEN: 'token-value',
	KALTURA_PARTNER_ID: '12345',
	KALTURA_ADMIN_SECRET: 'a-long-admin-secret',
	JWT_SECRET: 'x'.repeat(32)
};

describe('parseEnvironment', () => {
	it('GIVEN the required variables THEN every optional one gets its documented default', () => {
		const env = parseEnvironment(VALID);
		expect(env).to.include({
			DISCORD_API_URL: 'https://discord.com/api',
			KALTURA_SERVICE_URL: 'https://www.kaltura.com',
			KALTURA_PARTNER_ID: 12345,
			API_HOST: '127.0.0.1',
			API_PORT: 4000,
			LOG_LEVEL: 'info',
			DATA_DIR: './data',
			NODE_ENV: 'development'
		});
		expect(env.REDIS_URL).to.equal(undefined);
		expect(env.MONGODB_URL).to.equal(undefined);
	});

	it('GIVEN an empty environment THEN one error lists every missing variable', () => {
		expect(Object.keys(problemsOf({}))).to.have.members(['DISCORD_TOKEN', 'KALTURA_PARTNER_ID', 'KALTURA_ADMIN_SECRET', 'JWT_SECRET']);
	});

	it('GIVEN empty strings THEN they count as missing, as .env files write them', () => {
		expect(problemsOf({ ...VALID, DISCORD_TOKEN: '' }).DISCORD_TOKEN).to.match(/is required/);
	});

	it('GIVEN invalid values THEN each is named with what is wrong', () => {
		const problems = problemsOf({
			...VALID,
			KALTURA_PARTNER_ID: '12a',
			JWT_SECRET: 'short-secret',
			API_PORT: '70000',
			LOG_LEVEL: 'loud',
			REDIS_URL: 'http://localhost:6379',
			MONGODB_URL: 'not a url',
			DISCORD_API_URL: 'ftp://example.com'
		});
		expect(problems).to.deep.equal({
			KALTURA_PARTNER_ID: 'must be a positive whole number',
			JWT_SECRET: 'must be at least 32 bytes long',
			API_PORT: 'must be between 0 and 65535',
			LOG_LEVEL: 'must be one of error, warn, info, http, verbose, debug, silly',
			REDIS_URL: 'must use one of the protocols redis:, rediss:',
			MONGODB_URL: 'must be a MongoDB connection string (mongodb:// or mongodb+srv://) naming a database, e.g. mongodb://db:27017/kaltura',
			DISCORD_API_URL: 'must use one of the protocols http:, https:'
		});
	});

	it('GIVEN MongoDB connection strings THEN replica-set and SRV forms pass, one without a database is refused', () => {
		expect(parseEnvironment({ ...VALID, MONGODB_URL: 'mongodb://bot:pw@db1:27017,db2:27017/kaltura?replicaSet=rs0' }).MONGODB_URL).to.equal(
			'mongodb://bot:pw@db1:27017,db2:27017/kaltura?replicaSet=rs0'
		);
		expect(parseEnvironment({ ...VALID, MONGODB_URL: 'mongodb+srv://bot:pw@cluster0.example.net/kaltura' }).MONGODB_URL).to.be.a('string');
		expect(problemsOf({ ...VALID, MONGODB_URL: 'mongodb://db:27017' }).MONGODB_URL).to.match(/naming a database/);
		expect(problemsOf({ ...VALID, MONGODB_URL: 'mongodb://bot:hunter2@db:27017/' }).MONGODB_URL).to.not.include('hunter2');
	});

	it('GIVEN a 32-byte secret of multi-byte characters THEN its bytes, not characters, are counted', () => {
		expect(() => parseEnvironment({ ...VALID, JWT_SECRET: 'é'.repeat(16) })).to.not.throw();
		expect(problemsOf({ ...VALID, JWT_SECRET: 'é'.repeat(15) }).JWT_SECRET).to.equal('must be at least 32 bytes long');
	});

	it('GIVEN an invalid secret THEN its value never appears in the error', () => {
		const jwtSecret = 'my-secret-that-is-too-short';
		const adminSecret = 'q7Zx';
		let thrown: unknown;
		try {
			parseEnvironment({ ...VALID, JWT_SECRET: jwtSecret, KALTURA_ADMIN_SECRET: adminSecret });
		} catch (error) {
			thrown = error;
		}
		// Outside the try: an environment that parses must fail this test, not be caught as "the error".
		expect(thrown).to.be.instanceOf(EnvironmentError);
		const error = thrown as EnvironmentError;
		expect(error.problems.map(({ variable }) => variable)).to.have.members(['JWT_SECRET', 'KALTURA_ADMIN_SECRET']);
		for (const text of [error.message, JSON.stringify(error.problems)]) {
			expect(text).to.not.include(jwtSecret).and.not.include(adminSecret);
		}
	});
});
