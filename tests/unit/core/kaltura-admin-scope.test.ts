import { expect } from 'chai';
import kaltura from 'kaltura-client';
import {
	adminPrivileges,
	KalturaFacade,
	MEMBER_KS_MAX_SECONDS,
	MEMBER_KS_MIN_SECONDS,
	type AdminScope
} from '../../../src/core/kaltura/kaltura-facade.js';
import { KalturaSessionType } from '../../../src/core/kaltura/ks-v2.js';
import { SessionCache, type KsSource, type SessionRequest } from '../../../src/core/kaltura/session-cache.js';

/** A source that records every session asked of it; nothing here reaches a network. */
function recordingSource(): KsSource & { asked: { request: SessionRequest; expirySeconds: number }[] } {
	const asked: { request: SessionRequest; expirySeconds: number }[] = [];
	return { asked, mint: async (request, expirySeconds) => (asked.push({ request, expirySeconds }), { ks: `ks-${asked.length}` }) };
}

const ACCOUNT = { serviceUrl: 'http://127.0.0.1:9', partnerId: 1, timeoutMs: 200 };
const READ_USER: AdminScope = { actions: ['user.get'], why: 'reads a user' };

describe('Kaltura admin scopes and member sessions', () => {
	describe('adminPrivileges', () => {
		it('GIVEN a scope THEN the ADMIN session may reach its actions’ API paths only (urirestrict)', () => {
			expect(adminPrivileges({ actions: ['user.get', 'schedule_scheduleevent.list'], why: 'x' })).to.equal(
				'urirestrict:/api_v3/service/user/action/get|/api_v3/service/schedule_scheduleevent/action/list'
			);
			// A service URL with a path: that path is part of the URI Kaltura compares.
			expect(adminPrivileges(READ_USER, 'https://proxy.example/kaltura/')).to.equal('urirestrict:/kaltura/api_v3/service/user/action/get');
		});

		it('GIVEN a scope that names nothing or no reason THEN it is refused', () => {
			expect(() => adminPrivileges({ actions: [] as unknown as AdminScope['actions'], why: 'x' })).to.throw(TypeError, /must name the actions/);
			expect(() => adminPrivileges({ actions: ['user.get'], why: '  ' })).to.throw(TypeError);
			expect(() => adminPrivileges({ actions: ['user.get,all:*' as `${string}.${string}`], why: 'x' })).to.throw(TypeError);
		});
	});

	describe('KalturaFacade.admin', () => {
		it('GIVEN empty privileges (the old call shape) THEN nothing is minted or sent', async () => {
			const source = recordingSource();
			const facade = new KalturaFacade(ACCOUNT, new SessionCache(source));
			const error = await facade
				.admin('' as unknown as AdminScope, () => kaltura.services.user!.get!('u'))
				.then(
					() => expect.fail('should refuse'),
					(caught: unknown) => caught
				);
			expect(error).to.be.instanceOf(TypeError);
			expect(source.asked).to.have.lengthOf(0);
		});

		it('GIVEN a request outside its scope THEN it is refused before any session is made', async () => {
			const source = recordingSource();
			const facade = new KalturaFacade(ACCOUNT, new SessionCache(source));
			const error = await facade
				.admin(READ_USER, () => kaltura.services.user!.deleteAction!('u'))
				.then(
					() => expect.fail('should refuse'),
					(caught: unknown) => caught as Error
				);
			expect(error.message).to.equal('The admin Kaltura call user.delete is outside the scope it was given.');
			expect(source.asked).to.have.lengthOf(0);
		});

		it('GIVEN a request inside its scope THEN the ADMIN session asked for carries the scope’s restriction', async () => {
			const source = recordingSource();
			const facade = new KalturaFacade(ACCOUNT, new SessionCache(source));
			// The call itself fails (nothing listens on port 9); the session it asked for is what counts here.
			await facade.admin(READ_USER, () => kaltura.services.user!.get!('u')).catch(() => undefined);
			expect(source.asked[0]!.request).to.deep.equal({
				userId: 'kaltura-discord-bot',
				type: KalturaSessionType.Admin,
				privileges: 'urirestrict:/api_v3/service/user/action/get'
			});
		});
	});

	describe('KalturaFacade.userKs', () => {
		const member = { userId: 'discord_7', privileges: 'eventId:5,role:viewerRole' };

		it('GIVEN a facade without a members’ source THEN it hands out no KS (never one of the bot’s own)', async () => {
			const source = recordingSource();
			const facade = new KalturaFacade(ACCOUNT, new SessionCache(source));
			await facade.userKs(member, 3600).then(
				() => expect.fail('should refuse'),
				(error: unknown) => expect((error as Error).message).to.equal('This Kaltura facade hands out no sessions to members.')
			);
			expect(source.asked).to.have.lengthOf(0);
		});

		it('GIVEN a lifetime THEN the members’ source is asked for exactly it, within 5 minutes to 24 hours', async () => {
			const bot = recordingSource();
			const members = recordingSource();
			const facade = new KalturaFacade(ACCOUNT, new SessionCache(bot), members);
			expect(await facade.userKs(member, 5400)).to.equal('ks-1');
			expect(members.asked).to.deep.equal([{ request: { ...member, type: KalturaSessionType.User }, expirySeconds: 5400 }]);
			expect(bot.asked).to.have.lengthOf(0);
			for (const wrong of [MEMBER_KS_MIN_SECONDS - 1, MEMBER_KS_MAX_SECONDS + 1, Number.NaN]) {
				await facade.userKs(member, wrong).then(
					() => expect.fail(`${wrong} should be refused`),
					(error: unknown) => expect(error).to.be.instanceOf(RangeError)
				);
			}
		});
	});

	describe('join links asked twice', () => {
		it('GIVEN the same member and meeting twice THEN each link gets a KS of its own, minted for the lifetime asked', async () => {
			const member = { userId: 'discord_7', privileges: 'eventId:5,role:viewerRole' };
			const members = recordingSource();
			const facade = new KalturaFacade(ACCOUNT, new SessionCache(recordingSource()), members);
			expect(await facade.userKs(member, 3600)).to.equal('ks-1');
			// An earlier KS may have been ended by its holder, or have less life left: never handed out again.
			expect(await facade.userKs(member, 7200)).to.equal('ks-2');
			expect(members.asked.map(({ expirySeconds }) => expirySeconds)).to.deep.equal([3600, 7200]);
		});
	});
});
