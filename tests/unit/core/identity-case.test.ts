import { expect } from 'chai';
import { IdentityService, KalturaUserClaimedError, sameKalturaUser, type IdentityLink } from '../../../src/core/auth/identity.js';
import { createKeyv } from '../../../src/core/storage/keyv-factory.js';
import { rejectionOf } from '../../helpers/rejection-of.js';

const SCHOOL = '200000000000000001';
const COLLEGE = '200000000000000002';
const ALICE = '300000000000000001';
const MALLORY = '300000000000000002';
const VICTIM = '300000000000000003';

/** Kaltura finds users by id without regard to case, so the bot's claims and derived-id check must too. */
describe('IdentityService: Kaltura user ids compared without regard to case', () => {
	const service = () =>
		new IdentityService(createKeyv<IdentityLink>({ kind: 'memory' }, 'identity-links'), 'discord_', () => ({
			linkableUserPattern: /^[\w.@]+$/u
		}));

	it('GIVEN jane@ claimed by one Discord user THEN Jane@ and JANE@ are refused to another, in any server', async () => {
		const identity = service();
		await identity.link(SCHOOL, ALICE, 'jane@school.example', 'admin-a');
		for (const variant of ['Jane@school.example', 'JANE@SCHOOL.EXAMPLE']) {
			expect(await rejectionOf(identity.link(COLLEGE, MALLORY, variant, 'admin-b'))).to.be.instanceOf(KalturaUserClaimedError);
		}
		expect(await identity.kalturaUserIdOf(COLLEGE, MALLORY)).to.equal(`discord_${MALLORY}`);
		expect((await identity.claimOf('JANE@school.example'))?.discordUserId).to.equal(ALICE);
	});

	it('GIVEN the holder relinked under another spelling THEN the link keeps the spelling and the one claim holds both servers', async () => {
		const identity = service();
		await identity.link(SCHOOL, ALICE, 'jane@school.example', 'admin-a');
		await identity.link(COLLEGE, ALICE, 'Jane@School.example', 'admin-b');
		await identity.link(SCHOOL, ALICE, 'JANE@school.example', 'admin-a');
		expect(await identity.kalturaUserIdOf(SCHOOL, ALICE)).to.equal('JANE@school.example');
		expect(await identity.kalturaUserIdOf(COLLEGE, ALICE)).to.equal('Jane@School.example');
		expect((await identity.claimOf('jane@school.example'))?.guildIds).to.have.members([SCHOOL, COLLEGE]);
		await identity.unlink(SCHOOL, ALICE);
		await identity.unlink(COLLEGE, ALICE);
		expect(await identity.claimOf('jane@school.example')).to.equal(undefined);
	});

	it('GIVEN a derived id with the prefix in another case THEN its Discord user is still found', () => {
		const identity = service();
		expect(identity.discordUserOfDerivedId(`DISCORD_${VICTIM}`)).to.equal(VICTIM);
		expect(identity.discordUserOfDerivedId(`Discord_${VICTIM}`)).to.equal(VICTIM);
		expect(identity.discordUserOfDerivedId(`discordx${VICTIM}`)).to.equal(undefined);
		expect(sameKalturaUser('Jane@School.example', 'jane@school.EXAMPLE')).to.equal(true);
		expect(sameKalturaUser('jane@school.example', 'jane2@school.example')).to.equal(false);
	});
});
