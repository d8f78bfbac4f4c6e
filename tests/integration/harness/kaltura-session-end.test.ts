/**
 * The stand-in's session.end, `sessionid`, `urirestrict` and app-token privilege rules, through the REAL
 * kaltura-client, as kaltura/server implements them (cited in tests/harness/kaltura/auth.ts,
 * services/session.ts and services/apptoken.ts).
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { createKalturaClient, kaltura, KalturaStandIn, type KalturaClient } from '../../harness/kaltura/index.js';
import { rejectionOf } from '../../helpers/rejection-of.js';

const PID = 5151;
const SECRET = 'admin-secret-5151';
const LOGOUT = { KSID: 'LOGOUT', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' };

describe('Kaltura stand-in: ending sessions, session ids and URI restrictions', function () {
	let k: KalturaStandIn;
	let client: KalturaClient;

	before(async function () {
		k = await KalturaStandIn.start({ partnerId: PID, adminSecret: SECRET });
	});
	after(async function () {
		await k.stop();
	});
	beforeEach(function () {
		client = createKalturaClient(k.serviceUrl);
	});

	const withKs = (ks: string) => {
		const c = createKalturaClient(k.serviceUrl);
		c.setKs(ks);
		return c;
	};
	const whoAmI = async (ks: string) => (await kaltura.services.session.get().execute(withKs(ks))).userId;

	/** A session from an app token, opened the way a client does: widget KS, then hash(widget KS + token). */
	async function appTokenSession(token: { id: string; token: string }, userId: string, privileges: string | null = null, type = 0) {
		const widget = await kaltura.services.session.startWidgetSession(`_${PID}`).execute(client);
		const hash = createHash('sha1')
			.update(widget.ks + token.token)
			.digest('hex');
		return kaltura.services.appToken.startSession(token.id, hash, userId, type, 3600, privileges).execute(withKs(widget.ks));
	}
	function addToken(sessionPrivileges?: string): { id: string; token: string } {
		const t = k.state.addAppToken(sessionPrivileges === undefined ? {} : { sessionPrivileges });
		return { id: String(t.id), token: String(t.token) };
	}

	it('GIVEN sessions of one app token THEN session.end with any of them refuses all of them (LOGOUT), and no other session', async function () {
		const token = addToken();
		const a = await appTokenSession(token, 'member-a');
		const b = await appTokenSession(token, 'bot', null, 2);
		const other = await appTokenSession(addToken(), 'someone-else');
		const plain = k.mintKs({ userId: 'plain', type: 2 });
		expect(k.parseKs(a.ks).privileges.sessionid).to.equal(token.id);

		await kaltura.services.session.end().execute(withKs(a.ks));
		for (const ended of [a.ks, b.ks])
			expect((await rejectionOf(kaltura.services.session.get().execute(withKs(ended)))).args).to.deep.equal(LOGOUT);
		// A session opened afterwards with the same token carries the same session id: refused too.
		const later = await appTokenSession(token, 'bot', null, 2);
		expect((await rejectionOf(kaltura.services.user.listAction().execute(withKs(later.ks)))).args).to.deep.equal(LOGOUT);
		expect(await whoAmI(other.ks)).to.equal('someone-else');
		expect(await whoAmI(plain)).to.equal('plain');
	});

	it('GIVEN a session id ended THEN the refusal lasts 24 hours, then a still-valid KS with it works again', async function () {
		const sid = 'shared-session-id';
		const first = k.mintKs({ userId: 'one', privileges: `sessionid:${sid}`, expiry: 3 * 86400 });
		const second = k.mintKs({ userId: 'two', privileges: `sessionid:${sid}`, expiry: 3 * 86400 });
		await kaltura.services.session.end().execute(withKs(first));
		k.state.advanceClock(24 * 3600 - 60);
		expect((await rejectionOf(kaltura.services.session.get().execute(withKs(second)))).args).to.deep.equal(LOGOUT);
		k.state.advanceClock(120);
		expect(await whoAmI(second)).to.equal('two');
		// The KS that was ended stays refused for its whole life.
		expect((await rejectionOf(kaltura.services.session.get().execute(withKs(first)))).args).to.deep.equal(LOGOUT);
	});

	it('GIVEN a KS without a session id THEN session.end ends that one KS only', async function () {
		const mine = k.mintKs({ userId: 'member', privileges: 'eventId:1' });
		const twin = k.mintKs({ userId: 'member', privileges: 'eventId:1' });
		await kaltura.services.session.end().execute(withKs(mine));
		expect((await rejectionOf(kaltura.services.session.get().execute(withKs(mine)))).args).to.deep.equal(LOGOUT);
		expect(await whoAmI(twin)).to.equal('member');
	});

	it('GIVEN a widget KS THEN it is never refused as ended (anyone can start one)', async function () {
		const widget = await kaltura.services.session.startWidgetSession(`_${PID}`).execute(client);
		await kaltura.services.session.end().execute(withKs(widget.ks));
		expect((await kaltura.services.session.get().execute(withKs(widget.ks))).privileges).to.equal('view:*,widget:1');
	});

	it('GIVEN an app token granting sessionid:* THEN a caller may give each session its own id; without it the id is the token’s', async function () {
		const open = addToken('sessionid:*');
		const own = await appTokenSession(open, 'member-a', 'sessionid:abc123,eventId:7');
		expect(own.privileges).to.equal(`sessionid:abc123,apptoken:${open.id},eventId:7`);
		const closed = addToken('role:viewerRole');
		const shared = await appTokenSession(closed, 'member-b', 'sessionid:abc123,eventId:7,role:adminRole');
		// sessionid is a server privilege and role is set by the token: both kept as the token has them.
		expect(shared.privileges).to.equal(`sessionid:${closed.id},apptoken:${closed.id},role:viewerRole,eventId:7`);
		expect(k.parseKs(shared.ks).privileges).to.deep.equal({ sessionid: closed.id, apptoken: closed.id, role: 'viewerRole', eventId: '7' });
		// Ending the session with its own id leaves the token's other sessions alone.
		const sibling = await appTokenSession(open, 'member-c', 'sessionid:def456');
		await kaltura.services.session.end().execute(withKs(own.ks));
		expect(await whoAmI(sibling.ks)).to.equal('member-c');
	});

	it('GIVEN appToken.delete THEN every session the token opened is refused', async function () {
		const token = addToken();
		const session = await appTokenSession(token, 'bot', null, 2);
		await kaltura.services.appToken.deleteAction(token.id).execute(withKs(k.mintKs({ userId: 'admin', type: 2 })));
		expect((await rejectionOf(kaltura.services.session.get().execute(withKs(session.ks)))).args).to.deep.equal(LOGOUT);
	});

	it('GIVEN urirestrict THEN only the listed API paths (exact, or a prefix ending in *) are served; others get EXCEEDED_RESTRICTED_URI', async function () {
		const ks = k.mintKs({ userId: 'bot', type: 2, privileges: 'urirestrict:/api_v3/service/user/action/list|/api_v3/service/media/*' });
		expect((await kaltura.services.user.listAction().execute(withKs(ks))).objectType).to.equal('KalturaUserListResponse');
		expect((await kaltura.services.media.listAction().execute(withKs(ks))).objectType).to.equal('KalturaMediaListResponse');
		const refused = await rejectionOf(kaltura.services.user.get('bot').execute(withKs(ks)));
		expect(refused.code).to.equal('INVALID_KS');
		expect(refused.args).to.deep.equal({ KSID: 'EXCEEDED_RESTRICTED_URI', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' });
	});
});
