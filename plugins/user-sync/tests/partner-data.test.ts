import { expect } from 'chai';
import { boundedPartnerData, PARTNER_DATA_LIMIT, withGuildEntry } from '../lib/kaltura-user-profile.js';

const USER = '300000000000000001';
const guildId = (index: number) => String(100000000000000000n + BigInt(index));

/** partnerData of a member of `count` servers, plus foreign keys. */
function partnerDataOf(count: number, foreign: Record<string, unknown> = {}): Record<string, unknown> {
	const guilds = Object.fromEntries(Array.from({ length: count }, (_, index) => [guildId(index), { kalturaRole: 'viewer' }]));
	return { ...foreign, discord: { userId: USER, guilds } };
}

describe('user-sync partnerData bound (4,096 characters, Kaltura’s kuser.partner_data)', () => {
	it('GIVEN a value that fits THEN it is the same as without the bound', () => {
		const existing = partnerDataOf(10, { crm: 7 });
		expect(boundedPartnerData(existing, USER, guildId(500), 'moderator')).to.equal(withGuildEntry(existing, USER, guildId(500), 'moderator'));
	});

	it('GIVEN one entry too many THEN exactly the oldest other server is dropped, and the result is at most the limit', () => {
		// Grow the foreign padding until the full value is just over the limit.
		const base = { ...partnerDataOf(60), pad: '' };
		const full = withGuildEntry(base, USER, guildId(999), 'viewer');
		const padding = 'p'.repeat(PARTNER_DATA_LIMIT - full.length + 1);
		const existing = { ...base, pad: padding };
		expect(withGuildEntry(existing, USER, guildId(999), 'viewer').length).to.equal(PARTNER_DATA_LIMIT + 1);

		const bounded = boundedPartnerData(existing, USER, guildId(999), 'viewer')!;
		expect(bounded.length).to.be.at.most(PARTNER_DATA_LIMIT);
		const guilds = Object.keys((JSON.parse(bounded) as { discord: { guilds: object } }).discord.guilds);
		expect(guilds).to.have.lengthOf(60);
		expect(guilds).to.not.include(guildId(0));
		expect(guilds).to.include(guildId(999));
		expect((JSON.parse(bounded) as { pad: string }).pad).to.equal(padding);
	});

	it('GIVEN a value of exactly the limit THEN nothing is dropped', () => {
		const base = { ...partnerDataOf(20), pad: '' };
		const full = withGuildEntry(base, USER, guildId(999), 'viewer');
		const existing = { ...base, pad: 'p'.repeat(PARTNER_DATA_LIMIT - full.length) };
		const bounded = boundedPartnerData(existing, USER, guildId(999), 'viewer')!;
		expect(bounded.length).to.equal(PARTNER_DATA_LIMIT);
		expect(Object.keys((JSON.parse(bounded) as { discord: { guilds: object } }).discord.guilds)).to.have.lengthOf(21);
	});

	it('GIVEN foreign keys that leave no room THEN undefined: partnerData is not to be written', () => {
		expect(boundedPartnerData({ notes: 'n'.repeat(PARTNER_DATA_LIMIT) }, USER, guildId(1), 'viewer')).to.equal(undefined);
	});
});
