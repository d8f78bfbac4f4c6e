/**
 * The Kaltura stand-in's session / KS behaviour, exercised through the REAL kaltura-client.
 */
import { createDecipheriv, createHash } from 'node:crypto';
import { expect } from 'chai';
import {
	buildKs,
	buildKsV1,
	createKalturaClient,
	kaltura,
	KalturaStandIn,
	KsParseError,
	parseKs,
	type KalturaClient
} from '../../harness/kaltura/index.js';
import { rejectionOf } from '../../helpers/rejection-of.js';

const PID = 4242;
const SECRET = 'admin-secret-4242';
const USER_SECRET = 'user-secret-4242';

/** The value a promise rejects with; fails the test if it resolves. */
describe('Kaltura stand-in: sessions and KS', function () {
	let k: KalturaStandIn;
	let client: KalturaClient;

	before(async function () {
		k = await KalturaStandIn.start({ partnerId: PID, adminSecret: SECRET, userSecret: USER_SECRET });
	});
	after(async function () {
		await k.stop();
	});
	beforeEach(function () {
		client = createKalturaClient(k.serviceUrl);
	});

	it('GIVEN ESM THEN `import kaltura from "kaltura-client"` yields the CommonJS module.exports the harness uses', async function () {
		const specifier = 'kaltura-client';
		const mod = (await import(specifier)) as { default: unknown };
		expect(mod.default).to.equal(kaltura);
		expect(kaltura.Client).to.be.a('function');
	});

	it('GIVEN the admin secret WHEN session.start(ADMIN) THEN a KS v2 signed with the admin secret comes back', async function () {
		const ks = await kaltura.services.session.start(SECRET, 'bot-admin', 2, PID, 3600, 'disableentitlement').execute(client);
		expect(ks).to.be.a('string');
		expect(ks.startsWith('djJ8')).to.equal(true);
		const parsed = parseKs(ks, SECRET);
		expect(parsed).to.include({ version: 2, partnerId: PID, userId: 'bot-admin', type: 2 });
		expect(parsed.privileges).to.deep.equal({ disableentitlement: '' });
		const now = Math.floor(Date.now() / 1000);
		expect(parsed.expiry).to.be.within(now + 3590, now + 3610);
		expect(() => parseKs(ks, 'another-secret')).to.throw(KsParseError);
	});

	it('GIVEN a wrong secret WHEN session.start THEN kaltura-client rejects with START_SESSION_ERROR as a plain object', async function () {
		const err = await rejectionOf(kaltura.services.session.start('wrong', 'bot', 2, PID).execute(client));
		expect(err).to.not.be.instanceOf(Error);
		expect(err).to.deep.equal({
			code: 'START_SESSION_ERROR',
			message: `Error while starting session for partner [${PID}]`,
			objectType: 'KalturaAPIException',
			args: { PID: String(PID) }
		});
	});

	it('GIVEN the user secret THEN it starts USER sessions but not ADMIN ones', async function () {
		const userKs = await kaltura.services.session.start(USER_SECRET, 'u1', 0, PID).execute(client);
		expect(parseKs(userKs, SECRET).type).to.equal(0);
		const err = await rejectionOf(kaltura.services.session.start(USER_SECRET, 'u1', 2, PID).execute(client));
		expect(err.code).to.equal('START_SESSION_ERROR');
	});

	it('GIVEN an unknown partner id WHEN session.start THEN START_SESSION_ERROR', async function () {
		const err = await rejectionOf(kaltura.services.session.start(SECRET, 'bot', 2, 999).execute(client));
		expect(err).to.include({ code: 'START_SESSION_ERROR' });
		expect(err.args).to.deep.equal({ PID: '999' });
	});

	it('GIVEN a KS generated locally (no API call) THEN the stand-in accepts it', async function () {
		const ks = buildKs({ partnerId: PID, adminSecret: SECRET, userId: 'local-admin', type: 2, expiry: 600 });
		client.setKs(ks);
		const list = await kaltura.services.media.listAction().execute(client);
		expect(list.objectType).to.equal('KalturaMediaListResponse');
		const info = await kaltura.services.session.get().execute(client);
		expect(info).to.include({ ks, partnerId: PID, userId: 'local-admin', sessionType: 2, objectType: 'KalturaSessionInfo' });
	});

	it('GIVEN a legacy KS v1 THEN it is accepted too', async function () {
		client.setKs(buildKsV1({ partnerId: PID, adminSecret: SECRET, userId: 'v1user', type: 2 }));
		const info = await kaltura.services.session.get().execute(client);
		expect(info).to.include({ userId: 'v1user', sessionType: 2 });
	});

	it('GIVEN the KS v2 layout THEN an independent AES-128-CBC decrypt of it reads the fields', function () {
		const random = Buffer.alloc(16, 7);
		const ks = buildKs({
			partnerId: PID,
			adminSecret: SECRET,
			userId: 'discord_1',
			type: 0,
			expiresAt: 2000000000,
			privileges: 'role:viewerRole,eventId:77,*',
			random
		});
		const raw = Buffer.from(ks.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
		const prefix = `v2|${PID}|`;
		expect(raw.subarray(0, prefix.length).toString()).to.equal(prefix);
		const key = createHash('sha1').update(SECRET).digest().subarray(0, 16);
		const d = createDecipheriv('aes-128-cbc', key, Buffer.alloc(16));
		d.setAutoPadding(false);
		let plain = Buffer.concat([d.update(raw.subarray(prefix.length)), d.final()]);
		while (plain[plain.length - 1] === 0) plain = plain.subarray(0, plain.length - 1);
		const body = plain.subarray(20);
		expect(createHash('sha1').update(body).digest().equals(plain.subarray(0, 20))).to.equal(true);
		expect(body.subarray(0, 16).equals(random)).to.equal(true);
		expect(body.subarray(16).toString()).to.equal('role=viewerRole&eventId=77&all=%2A&_e=2000000000&_t=0&_u=discord_1');
	});

	it('GIVEN an expired KS THEN INVALID_KS with KSID "EXPIRED", surfaced as a plain KalturaAPIException object', async function () {
		client.setKs(buildKs({ partnerId: PID, adminSecret: SECRET, userId: 'x', type: 2, expiry: -5 }));
		const err = await rejectionOf(kaltura.services.media.listAction().execute(client));
		expect(err).to.not.be.instanceOf(Error);
		expect(err).to.deep.equal({
			code: 'INVALID_KS',
			message: 'Invalid KS "EXPIRED", Error "-1,INVALID_STR"',
			objectType: 'KalturaAPIException',
			args: { KSID: 'EXPIRED', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' }
		});
	});

	it('GIVEN a KS signed with another secret THEN INVALID_KS with the KS string as KSID', async function () {
		const forged = buildKs({ partnerId: PID, adminSecret: 'not-the-secret', userId: 'x', type: 2 });
		client.setKs(forged);
		const err = await rejectionOf(kaltura.services.media.listAction().execute(client));
		expect(err.code).to.equal('INVALID_KS');
		expect(err.args).to.deep.equal({ KSID: forged, ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' });
	});

	it('GIVEN a USER KS WHEN calling an admin-only action THEN SERVICE_FORBIDDEN "service->action"', async function () {
		client.setKs(k.mintKs({ type: 0, userId: 'viewer' }));
		const err = await rejectionOf(kaltura.services.user.add(new kaltura.objects.User({ id: 'someone' })).execute(client));
		expect(err).to.deep.equal({
			code: 'SERVICE_FORBIDDEN',
			message: 'The access to service [user->add] is forbidden',
			objectType: 'KalturaAPIException',
			args: { SERVICE: 'user->add' }
		});
		const err2 = await rejectionOf(
			kaltura.services.scheduleResource.add(new kaltura.objects.LocationScheduleResource({ name: 'r' })).execute(client)
		);
		expect(err2.args).to.deep.equal({ SERVICE: 'schedule_scheduleresource->add' });
	});

	it('GIVEN no KS WHEN calling a protected action THEN SERVICE_FORBIDDEN', async function () {
		const err = await rejectionOf(kaltura.services.media.listAction().execute(client));
		expect(err.code).to.equal('SERVICE_FORBIDDEN');
		expect(err.args).to.deep.equal({ SERVICE: 'media->list' });
	});

	it('GIVEN session.end THEN the same KS answers INVALID_KS "LOGOUT"', async function () {
		const ks = await kaltura.services.session.start(SECRET, 'ender', 2, PID).execute(client);
		client.setKs(ks);
		expect(await kaltura.services.session.end().execute(client)).to.equal(null);
		const err = await rejectionOf(kaltura.services.session.get().execute(client));
		expect(err.args).to.deep.equal({ KSID: 'LOGOUT', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' });
	});

	it('GIVEN actionslimit:2 THEN the third call fails with EXCEEDED_ACTIONS_LIMIT', async function () {
		client.setKs(k.mintKs({ privileges: 'actionslimit:2' }));
		await kaltura.services.media.listAction().execute(client);
		await kaltura.services.media.listAction().execute(client);
		const err = await rejectionOf(kaltura.services.media.listAction().execute(client));
		expect(err.args).to.deep.equal({ KSID: 'EXCEEDED_ACTIONS_LIMIT', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' });
	});

	it('GIVEN setrole with a registered role THEN only its permissions apply; an unknown role gives UNKNOWN_ROLE_ID', async function () {
		k.state.addRole({ systemName: 'MEDIA_READER', permissions: ['media.list', 'media.get'] });
		client.setKs(k.mintKs({ type: 2, privileges: 'setrole:MEDIA_READER' }));
		await kaltura.services.media.listAction().execute(client);
		const forbidden = await rejectionOf(kaltura.services.user.listAction().execute(client));
		expect(forbidden.code).to.equal('SERVICE_FORBIDDEN');
		client.setKs(k.mintKs({ type: 2, privileges: 'setrole:NOPE' }));
		const unknown = await rejectionOf(kaltura.services.media.listAction().execute(client));
		expect(unknown).to.include({ code: 'UNKNOWN_ROLE_ID', message: 'Unknown role id' });
		expect(unknown.args).to.deep.equal([]);
	});

	it('GIVEN a bot-minted USER KS with role privileges THEN parseKs exposes them for assertions', async function () {
		const ks = await kaltura.services.session
			.start(SECRET, 'discord_123', 0, PID, 7200, 'eventId:3371011,role:viewerRole,userContextualRole:3,firstName:Max Power')
			.execute(client);
		const parsed = k.parseKs(ks);
		expect(parsed.type).to.equal(0);
		expect(parsed.userId).to.equal('discord_123');
		expect(parsed.privileges).to.deep.equal({ eventId: '3371011', role: 'viewerRole', userContextualRole: '3', firstName: 'Max Power' });
		expect(parsed.privilegesString).to.equal('eventId:3371011,role:viewerRole,userContextualRole:3,firstName:Max Power');
	});

	describe('app-token flow', function () {
		it('GIVEN an app token WHEN widget session + hash(widgetKs + token) THEN appToken.startSession returns a KS with the token rules', async function () {
			const admin = createKalturaClient(k.serviceUrl, { ks: k.mintKs() });
			const token = await kaltura.services.appToken
				.add(
					new kaltura.objects.AppToken({
						hashType: 'SHA256',
						sessionType: 0,
						sessionDuration: 3600,
						sessionPrivileges: 'role:viewerRole',
						description: 'bot'
					})
				)
				.execute(admin);
			expect(token).to.include({ objectType: 'KalturaAppToken', status: 2, hashType: 'SHA256', partnerId: PID });
			expect(token.token).to.match(/^[0-9a-f]{32}$/);

			const widget = await kaltura.services.session.startWidgetSession(`_${PID}`).execute(client);
			expect(widget).to.include({ objectType: 'KalturaStartWidgetSessionResponse', partnerId: PID, userId: 0 });
			expect(k.parseKs(widget.ks).privileges).to.deep.equal({ view: '*', widget: '1' });

			client.setKs(widget.ks);
			const hash = createHash('sha256')
				.update(widget.ks + token.token)
				.digest('hex');
			const info = await kaltura.services.appToken
				.startSession(token.id, hash, 'discord_42', null, 600, 'eventId:9,setrole:ADMIN')
				.execute(client);
			expect(info).to.include({ objectType: 'KalturaSessionInfo', partnerId: PID, userId: 'discord_42', sessionType: 0 });
			const parsed = k.parseKs(info.ks);
			// caller privileges: eventId kept, server-reserved setrole dropped; sessionid/apptoken added
			expect(parsed.privileges).to.deep.equal({ role: 'viewerRole', eventId: '9', sessionid: token.id, apptoken: token.id });
			expect(info.expiry - Math.floor(Date.now() / 1000)).to.be.within(590, 610);

			const badHash = await rejectionOf(kaltura.services.appToken.startSession(token.id, '00'.repeat(32)).execute(client));
			expect(badHash).to.include({ code: 'INVALID_APP_TOKEN_HASH' });
			const missing = await rejectionOf(kaltura.services.appToken.startSession('0_missing', hash).execute(client));
			expect(missing.args).to.deep.equal({ ID: '0_missing' });
		});

		it('GIVEN a widget KS THEN admin services stay forbidden', async function () {
			const widget = await kaltura.services.session.startWidgetSession(`_${PID}`).execute(client);
			client.setKs(widget.ks);
			const err = await rejectionOf(kaltura.services.user.get('anyone').execute(client));
			expect(err.code).to.equal('SERVICE_FORBIDDEN');
			const ok = await kaltura.services.media.listAction().execute(client);
			expect(ok.objectType).to.equal('KalturaMediaListResponse');
		});
	});
});
