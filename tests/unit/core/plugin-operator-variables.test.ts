import { expect } from 'chai';
import { isOperatorToken } from '../../../src/core/api/operator-route.js';
import { EnvironmentError, parseEnvironment, SECRET_VARIABLES } from '../../../src/core/env.js';

const VALID = {
	DISCORD_TOKEN: 'token-value',
	KALTURA_PARTNER_ID: '12345',
	KALTURA_ADMIN_SECRET: 'a-long-admin-secret',
	JWT_SECRET: 'x'.repeat(32)
};

function problemOf(source: Record<string, string>, variable: string): string | undefined {
	try {
		parseEnvironment(source);
	} catch (error) {
		expect(error).to.be.instanceOf(EnvironmentError);
		return (error as EnvironmentError).problems.find((problem) => problem.variable === variable)?.problem;
	}
	return undefined;
}

describe('Plugin packages and the operator token: environment and comparison', () => {
	it('GIVEN PLUGIN_PACKAGES THEN it lists package names, scoped ones included, and is empty when unset', () => {
		expect(parseEnvironment(VALID).PLUGIN_PACKAGES).to.deep.equal([]);
		const env = parseEnvironment({
			...VALID,
			PLUGIN_PACKAGES: ' kaltura-discord-hello , @acme/discord-plugin,',
			PLUGIN_PACKAGES_DIR: '/srv/plugins'
		});
		expect(env.PLUGIN_PACKAGES).to.deep.equal(['kaltura-discord-hello', '@acme/discord-plugin']);
		expect(env.PLUGIN_PACKAGES_DIR).to.equal('/srv/plugins');
	});

	it('GIVEN a path or a URL in PLUGIN_PACKAGES THEN it is refused, saying what belongs there', () => {
		for (const value of ['../evil', 'https://example.com/x.tgz', 'Capital']) {
			expect(problemOf({ ...VALID, PLUGIN_PACKAGES: value }, 'PLUGIN_PACKAGES'), value).to.match(/must list npm package names/);
		}
	});

	it('GIVEN OPERATOR_API_TOKEN THEN it must be long, is optional, and is a secret the logs redact', () => {
		expect(parseEnvironment(VALID).OPERATOR_API_TOKEN).to.equal(undefined);
		expect(parseEnvironment({ ...VALID, OPERATOR_API_TOKEN: '' }).OPERATOR_API_TOKEN).to.equal(undefined);
		expect(problemOf({ ...VALID, OPERATOR_API_TOKEN: 'short' }, 'OPERATOR_API_TOKEN')).to.match(/at least 32 bytes/);
		expect(SECRET_VARIABLES).to.include('OPERATOR_API_TOKEN');
	});

	it('GIVEN a presented token THEN only the exact operator token matches, whatever its length', () => {
		const secret = 'o'.repeat(40);
		expect(isOperatorToken(secret, secret)).to.equal(true);
		for (const presented of ['', 'o', 'o'.repeat(39), `${secret}o`, 'p'.repeat(40)])
			expect(isOperatorToken(presented, secret), presented).to.equal(false);
	});
});
