import { expect } from 'chai';
import { validateManifest } from '../../../../src/core/plugins/manifest.js';

const manifestNamed = (name: string) => ({ name, version: '1.0.0', description: 'A plugin', core: '^1.1.0', enabledByDefault: false });

describe('plugin names the core owns', () => {
	// A plugin's storage is the Keyv namespace of its name: one named after a core store would share it.
	for (const name of ['guild-config', 'identity-links', 'api-token-revocations', 'command-registrations', 'core', 'plugins']) {
		it(`GIVEN a plugin named "${name}" THEN its manifest is refused as reserved by the core`, () => {
			const result = validateManifest(manifestNamed(name));
			expect(result.ok).to.equal(false);
			if (!result.ok) expect(result.problem).to.equal('name is reserved by the core');
		});
	}

	it('GIVEN an ordinary name THEN the manifest is accepted', () => {
		expect(validateManifest(manifestNamed('guild-polls')).ok).to.equal(true);
	});
});
