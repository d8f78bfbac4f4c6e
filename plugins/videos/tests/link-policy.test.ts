import { expect } from 'chai';
import { parseEnvironment } from '../../../src/core/env.js';
import { LinkPolicyError } from '../../../src/core/policy/link-url.js';
import { operatorPolicyFrom } from '../../../src/core/policy/operator-policy.js';
import { watchUrlOf } from '../lib/search-videos.js';

describe('videos watch links and the operator policy', () => {
	// The policy of an operator's environment with the default KALTURA_LINK_HOSTS, parsed as at start-up.
	const policy = operatorPolicyFrom(
		parseEnvironment({ DISCORD_TOKEN: 'x', KALTURA_PARTNER_ID: '777', KALTURA_ADMIN_SECRET: 'secret-secret', JWT_SECRET: 'j'.repeat(40) })
	);

	it('GIVEN a watchUrlTemplate that became unsafe (an operator file, a changed KALTURA_LINK_HOSTS) THEN no watch link is built from it', () => {
		expect(watchUrlOf('https://{partnerId}.mediaspace.kaltura.com/media/t/{entryId}', 777, '0_a b', policy)).to.equal(
			'https://777.mediaspace.kaltura.com/media/t/0_a%20b'
		);
		expect(() => watchUrlOf('https://evil.example/{entryId}', 777, '0_ab', policy)).to.throw(LinkPolicyError, /videos\.watchUrlTemplate/);
	});
});
