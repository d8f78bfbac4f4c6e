import { expect } from 'chai';
import { resolveKalturaRole } from '../lib/resolve-kaltura-role.js';

const ROLES = [
	{ id: '100000000000000001', name: 'Admins', position: 5 },
	{ id: '100000000000000002', name: 'Teachers', position: 3 },
	{ id: '100000000000000003', name: 'Students', position: 1 }
];

describe('resolveKalturaRole', () => {
	it('GIVEN several mapped roles THEN the one highest in the role list wins', () => {
		const settings = { defaultRole: 'viewer', mappings: { '100000000000000003': 'viewer', '100000000000000002': 'moderator' } };
		expect(resolveKalturaRole(settings, ['100000000000000003', '100000000000000002'], ROLES)).to.deep.equal({
			role: 'moderator',
			source: 'mapping',
			discordRoleId: '100000000000000002'
		});
	});

	it('GIVEN a mapping by role name from a config file THEN it applies to the role of that name, case aside', () => {
		const settings = { defaultRole: 'viewer', mappings: { admins: 'admin' } };
		expect(resolveKalturaRole(settings, ['100000000000000001'], ROLES).role).to.equal('admin');
	});

	it('GIVEN no mapped role, or a mapping for a role that no longer exists THEN the default applies', () => {
		const settings = { defaultRole: 'guest', mappings: { '199999999999999999': 'admin' } };
		expect(resolveKalturaRole(settings, ['100000000000000003', '199999999999999999'], ROLES)).to.deep.equal({ role: 'guest', source: 'default' });
	});
});
