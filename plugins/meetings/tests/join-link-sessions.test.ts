import { container } from '@sapphire/framework';
import { expect } from 'chai';
import type { GuildMember } from 'discord.js';
import { joinLinkFor } from '../lib/join-link.js';
import type { Meeting } from '../lib/meeting.js';
import type { IdentityService } from '../../../src/core/auth/identity.js';
import { parseEnvironment } from '../../../src/core/env.js';
import { KalturaFacade } from '../../../src/core/kaltura/kaltura-facade.js';
import { SessionStartKsSource, type KalturaAccount } from '../../../src/core/kaltura/ks-sources.js';
import { SessionCache } from '../../../src/core/kaltura/session-cache.js';
import { KalturaStandIn } from '../../../tests/harness/kaltura/index.js';

const PARTNER_ID = 7788;
const ADMIN_SECRET = 'join-link-sessions-admin-secret';
const MARGIN = 15 * 60;

/** Join links against the Kaltura stand-in: each KS is read back there, on the stand-in's clock. */
describe('Meetings: join-link sessions', () => {
	let kaltura: KalturaStandIn;
	let facade: KalturaFacade;
	let services: { kaltura: KalturaFacade; identity: IdentityService };
	let host: GuildMember;
	let previousEnv: unknown;

	before(async () => {
		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET });
		const account: KalturaAccount = { serviceUrl: kaltura.serviceUrl, partnerId: PARTNER_ID, timeoutMs: 2_000 };
		const source = new SessionStartKsSource({ ...account, adminSecret: ADMIN_SECRET });
		const now = () => kaltura.state.now();
		facade = new KalturaFacade(account, new SessionCache(source, { now }), source);
		services = { kaltura: facade, identity: { kalturaUserIdOf: () => Promise.resolve('discord_77') } as unknown as IdentityService };
		// The host: their room role needs no role lookup.
		host = { id: '77', displayName: 'Kim', guild: { id: '1000' } } as unknown as GuildMember;
		// Join links are checked against the operator's link hosts, read from the environment.
		previousEnv = (container as { env?: unknown }).env;
		Object.assign(container, {
			env: parseEnvironment({
				DISCORD_TOKEN: 'token',
				KALTURA_PARTNER_ID: String(PARTNER_ID),
				KALTURA_ADMIN_SECRET: ADMIN_SECRET,
				JWT_SECRET: 'j'.repeat(32)
			})
		});
	});

	after(async () => {
		Object.assign(container, { env: previousEnv });
		await kaltura?.stop();
	});

	function meeting(id: string, endsIn: number): Meeting {
		const now = kaltura.state.now();
		return {
			id,
			title: 'Standup',
			description: '',
			type: 'meeting',
			guildId: '1000',
			channelId: '2000',
			hostId: '77',
			startsAt: now,
			endsAt: now + endsIn,
			cancelled: false
		};
	}

	async function linkKs(of: Meeting) {
		const link = await joinLinkFor(services, host, of, 'https://{partnerId}.kaf.kaltura.com', kaltura.state.now());
		const ks = new URL(link.url).searchParams.get('ks')!;
		return { ks, parsed: kaltura.parseKs(ks) };
	}

	it('GIVEN a meeting THEN the join-link KS lives until its end plus 15 minutes and carries only that event’s privileges', async () => {
		const standup = meeting('40001', 2 * 3600);
		const { parsed } = await linkKs(standup);
		expect(parsed.expiry).to.be.within(standup.endsAt + MARGIN - 1, standup.endsAt + MARGIN + 1);
		expect(parsed).to.include({ userId: 'discord_77', type: 0 });
		expect(parsed.privileges).to.deep.equal({ eventId: '40001', role: 'adminRole', userContextualRole: '0', firstName: 'Kim' });
	});

	it('GIVEN a meeting days away THEN at most 24 hours; one that just ended THEN still a few minutes', async () => {
		const later = await linkKs(meeting('40002', 3 * 24 * 3600));
		expect(later.parsed.expiry - kaltura.state.now()).to.be.within(24 * 3600 - 1, 24 * 3600 + 1);
		const ended = await linkKs(meeting('40003', -20 * 60));
		expect(ended.parsed.expiry - kaltura.state.now()).to.be.within(5 * 60 - 1, 5 * 60 + 1);
	});

	it('GIVEN an earlier KS for the same member and meeting with little life left THEN a fresh one is minted for the new end', async () => {
		const short = meeting('40004', 10 * 60);
		const first = await linkKs(short);
		expect(first.parsed.expiry).to.be.within(short.endsAt + MARGIN - 1, short.endsAt + MARGIN + 1);
		kaltura.state.advanceClock(20 * 60); // five minutes left on the first KS
		const extended = { ...short, endsAt: kaltura.state.now() + 2 * 3600 };
		const second = await linkKs(extended);
		expect(second.ks).to.not.equal(first.ks);
		expect(second.parsed.expiry).to.be.within(extended.endsAt + MARGIN - 1, extended.endsAt + MARGIN + 1);
	});

	it('GIVEN a long meeting and a link asked for again later THEN the KS handed out still lasts until the meeting’s end', async () => {
		const long = meeting('40005', 6 * 3600);
		await linkKs(long);
		kaltura.state.advanceClock(54 * 60);
		const again = await linkKs(long);
		expect(again.parsed.expiry).to.be.within(long.endsAt + MARGIN - 1, long.endsAt + MARGIN + 1);
		expect(again.parsed.expiry - kaltura.state.now()).to.be.greaterThan(5 * 3600);
	});
});
