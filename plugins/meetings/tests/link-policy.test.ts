import { expect } from 'chai';
import { parseEnvironment } from '../../../src/core/env.js';
import { LinkPolicyError } from '../../../src/core/policy/link-url.js';
import { operatorPolicyFrom } from '../../../src/core/policy/operator-policy.js';
import { kafBaseUrl } from '../lib/join-link.js';

describe('meetings join links and the operator policy', () => {
	// The policy of an operator's environment with the default KALTURA_LINK_HOSTS, parsed as at start-up.
	const policy = operatorPolicyFrom(
		parseEnvironment({ DISCORD_TOKEN: 'x', KALTURA_PARTNER_ID: '777', KALTURA_ADMIN_SECRET: 'secret-secret', JWT_SECRET: 'j'.repeat(40) })
	);

	it('GIVEN a kafBaseUrl that became unsafe (an operator file, a changed KALTURA_LINK_HOSTS) THEN no join link is built from it', () => {
		expect(kafBaseUrl('https://{partnerId}.kaf.kaltura.com/', 777, policy)).to.equal('https://777.kaf.kaltura.com');
		expect(() => kafBaseUrl('https://evil.example', 777, policy)).to.throw(LinkPolicyError, /meetings\.kafBaseUrl.*evil\.example/);
		expect(() => kafBaseUrl('https://kaf.kaltura.com@evil.example', 777, policy)).to.throw(LinkPolicyError);
	});
});
