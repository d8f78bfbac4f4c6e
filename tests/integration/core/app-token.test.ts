import { container } from '@sapphire/framework';
import { expect } from 'chai';
import kalturaClient from 'kaltura-client';
import type { AppTokenHashType } from '../../../src/core/env.js';
import { KalturaFacade, type AdminScope } from '../../../src/core/kaltura/kaltura-facade.js';
import { KalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import { AppTokenKsSource, type AppTokenKsSourceOptions, type KalturaAccount } from '../../../src/core/kaltura/ks-sources.js';
import { KalturaSessionType } from '../../../src/core/kaltura/ks-v2.js';
import { SessionCache } from '../../../src/core/kaltura/session-cache.js';
import { createKalturaClient as createRawClient, kaltura as rawKaltura, KalturaStandIn } from '../../harness/kaltura/index.js';
import { rejectionOf } from '../../helpers/rejection-of.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { createTestBot, type TestBot } from '../../helpers/test-bot.js';

const PARTNER_ID = 6543;
const ADMIN_SECRET = 'app-token-suite-admin-secret';

/** The ADMIN session these tests use: Kaltura's user list, and nothing else. */
const LIST_USERS: AdminScope = { actions: ['user.list'], why: 'the tests check an ADMIN session works' };

interface ListResponse {
	objectType: string;
	totalCount: number;
}

/** A bare request's answer is `unknown` to the facade; these tests read it as the list response the stand-in sends. */
const asList = (answer: unknown) => answer as ListResponse;

describe('Kaltura app-token sessions (AppTokenKsSource against the Kaltura stand-in)', () => {
	let kaltura: KalturaStandIn;
	let account: KalturaAccount;

	before(async () => {
		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET });
		kaltura.state.addEntry({ name: 'Welcome video', tags: 'welcome' });
		account = { serviceUrl: kaltura.serviceUrl, partnerId: PARTNER_ID, timeoutMs: 2_000 };
	});

	after(async () => {
		await kaltura?.stop();
	});

	beforeEach(() => kaltura.stats.reset());

	/**
	 * An app token on the stand-in, as an operator would create it for the bot: `urirestrict:*` lets the bot
	 * limit each admin session to its actions.
	 */
	function appToken(fields: Record<string, unknown> = {}): { id: string; token: string } {
		const created = kaltura.state.addAppToken({ sessionPrivileges: 'list:*,sview:*,urirestrict:*', sessionDuration: 86_400, ...fields });
		return { id: String(created.id), token: String(created.token) };
	}

	/** The second token, for members' join links: `sessionid:*` lets each member's session have an id of its own. */
	function memberToken(fields: Record<string, unknown> = {}): { id: string; token: string } {
		return appToken({ sessionPrivileges: 'sessionid:*', ...fields });
	}

	function facadeFor(
		token: { id: string; token: string },
		hashType: AppTokenHashType = 'SHA1',
		options: AppTokenKsSourceOptions = {},
		members: { id: string; token: string } = memberToken()
	): { facade: KalturaFacade; source: AppTokenKsSource } {
		const source = new AppTokenKsSource({ ...account, appToken: { ...token, hashType } }, { now: () => kaltura.state.now(), ...options });
		const memberSource = new AppTokenKsSource(
			{ ...account, appToken: { ...members, hashType: 'SHA1' } },
			{ now: () => kaltura.state.now(), for: 'members' }
		);
		return { facade: new KalturaFacade(account, new SessionCache(source), memberSource), source };
	}

	const listVideos = (facade: KalturaFacade, privileges = 'list:*') =>
		facade.call({ userId: 'discord-bot-search', privileges }, () => kalturaClient.services.media!.listAction!()).then(asList);

	/** The KalturaError a promise rejects with; fails the test when it resolves or rejects with anything else. */
	async function failureOf(promise: Promise<unknown>): Promise<KalturaError> {
		try {
			await promise;
		} catch (error) {
			expect(error).to.be.instanceOf(KalturaError);
			return error as KalturaError;
		}
		return expect.fail('expected a KalturaError');
	}

	/** Every widget KS the stand-in handed out, and every KS any call carried: none may leak into an error. */
	function sessionsSeen(): string[] {
		return kaltura.stats.log.flatMap((call) => [call.ks ?? '']).filter((ks) => ks !== '');
	}

	function expectNoSecretsIn(error: KalturaError, token: string): void {
		for (const text of [error.message, error.userMessage, String(error.stack)]) {
			expect(text).to.not.include(token);
			expect(text).to.not.match(/djJ8/);
			for (const ks of sessionsSeen()) expect(text).to.not.include(ks);
		}
	}

	describe('a working token', () => {
		it('GIVEN an active app token THEN a KS is obtained with the widget KS and works for a call', async () => {
			const { facade } = facadeFor(appToken());
			const result = await listVideos(facade);
			expect(result.objectType).to.equal('KalturaMediaListResponse');
			expect(result.totalCount).to.equal(1);
			expect(kaltura.stats.count('session', 'startWidgetSession')).to.equal(1);
			const [start] = kaltura.stats.callsTo('apptoken', 'startSession');
			expect(start!.errorCode).to.equal(undefined);
			// The startSession call was sent with the widget KS (anonymous, widget:1) the hash was computed over.
			const widgetKs = kaltura.parseKs(start!.ks!);
			expect(widgetKs.privileges).to.deep.equal({ view: '*', widget: '1' });
		});

		it('GIVEN a member’s KS THEN it comes from the members’ token with the requested privileges, USER type and user, and a session id of its own', async () => {
			const bot = appToken();
			const members = memberToken({ sessionPrivileges: 'sessionid:*,appId:discord-bot' });
			const { facade } = facadeFor(bot, 'SHA1', {}, members);
			const ks = await facade.userKs({ userId: 'discord_42', privileges: 'eventId:9,role:viewerRole' }, 2 * 3600);
			const parsed = kaltura.parseKs(ks);
			expect(parsed).to.include({ partnerId: PARTNER_ID, userId: 'discord_42', type: KalturaSessionType.User });
			const { sessionid, ...rest } = parsed.privileges;
			expect(rest).to.deep.equal({ appId: 'discord-bot', eventId: '9', role: 'viewerRole', apptoken: members.id });
			expect(sessionid).to.match(/^[0-9a-f]{32}$/);
			expect(parsed.expiry - kaltura.state.now()).to.be.within(7_190, 7_210);
			const second = kaltura.parseKs(await facade.userKs({ userId: 'discord_43', privileges: 'eventId:9,role:viewerRole' }, 2 * 3600));
			expect(second.privileges.sessionid).to.not.equal(sessionid);
		});

		it('GIVEN a members’ token without sessionid:* THEN no member KS is handed out (it would share one session id), with a plain sentence', async () => {
			const members = memberToken({ sessionPrivileges: 'appId:discord-bot' });
			const error = await failureOf(
				facadeFor(appToken(), 'SHA1', {}, members).facade.userKs({ userId: 'discord_42', privileges: 'eventId:9' }, 3600)
			);
			expect(error.code).to.equal('APP_TOKEN_PRIVILEGES');
			expect(error.userMessage).to.equal(
				'The Kaltura app token for members does not let the bot set the “sessionid” privilege; add “sessionid:*” to the token’s sessionPrivileges.'
			);
			expectNoSecretsIn(error, members.token);
		});

		it('GIVEN a bot token without urirestrict:* THEN admin calls are refused rather than made with an unlimited admin session', async () => {
			const token = appToken({ sessionPrivileges: 'list:*' });
			const error = await failureOf(facadeFor(token).facade.admin(LIST_USERS, () => kalturaClient.services.user!.listAction!()));
			expect(error.code).to.equal('APP_TOKEN_PRIVILEGES');
			expect(error.userMessage).to.equal(
				'The bot’s Kaltura app token does not let the bot set the “urirestrict” privilege; add “urirestrict:*” to the token’s sessionPrivileges.'
			);
			expect(kaltura.stats.count('user', 'list')).to.equal(0);
		});

		it('GIVEN an admin call through KalturaFacade.admin THEN only that session is ADMIN, acting as the bot', async () => {
			const { facade } = facadeFor(appToken());
			const users = await facade.admin(LIST_USERS, () => kalturaClient.services.user!.listAction!()).then(asList);
			expect(users.objectType).to.equal('KalturaUserListResponse');
			const adminCall = kaltura.stats.callsTo('user', 'list').at(-1)!;
			const adminKs = kaltura.parseKs(adminCall.ks!);
			expect(adminKs).to.include({ type: KalturaSessionType.Admin, userId: 'kaltura-discord-bot' });
			expect(adminKs.privileges.urirestrict).to.equal('/api_v3/service/user/action/list');
			await listVideos(facade);
			expect(kaltura.parseKs(kaltura.stats.callsTo('media', 'list').at(-1)!.ks!).type).to.equal(KalturaSessionType.User);
		});

		for (const hashType of ['SHA256', 'SHA512', 'MD5'] as const) {
			it(`GIVEN a token created with ${hashType} and KALTURA_APP_TOKEN_HASH_TYPE=${hashType} THEN the session starts`, async () => {
				const { facade } = facadeFor(appToken({ hashType }), hashType);
				expect((await listVideos(facade)).totalCount).to.equal(1);
			});
		}
	});

	describe('caching', () => {
		it('GIVEN two calls with the same session THEN one KS is minted (one widget session, one startSession)', async () => {
			const { facade } = facadeFor(appToken());
			await listVideos(facade);
			await listVideos(facade);
			expect(kaltura.stats.count('apptoken', 'startSession')).to.equal(1);
			expect(kaltura.stats.count('session', 'startWidgetSession')).to.equal(1);
			expect(kaltura.stats.count('media', 'list')).to.equal(2);
		});

		it('GIVEN concurrent first calls for different sessions THEN each is minted once and they share one widget KS', async () => {
			const { facade } = facadeFor(appToken());
			await Promise.all([listVideos(facade), listVideos(facade), listVideos(facade, 'list:*,sview:*'), listVideos(facade, 'list:*,sview:*')]);
			expect(kaltura.stats.count('apptoken', 'startSession')).to.equal(2);
			expect(kaltura.stats.count('session', 'startWidgetSession')).to.equal(1);
		});

		it('GIVEN the widget KS near the end of its lifetime THEN a new one is fetched for the next mint', async () => {
			const { facade } = facadeFor(appToken(), 'SHA1', { widgetLifetimeSeconds: 600 });
			await listVideos(facade, 'list:*');
			kaltura.state.advanceClock(480);
			await listVideos(facade, 'list:*,sview:*');
			expect(kaltura.stats.count('session', 'startWidgetSession')).to.equal(2);
		});

		it('GIVEN Kaltura refuses the cached widget KS THEN a new one is fetched and the mint still succeeds', async () => {
			const { facade } = facadeFor(appToken());
			await listVideos(facade, 'list:*');
			// Kaltura never ends a widget KS early (kSessionBase::tryToValidateKS skips them), but a partner's
			// maximum KS lifetime can cut it short: it is refused like any other.
			kaltura.faults.error('INVALID_KS', {
				match: { service: 'apptoken', action: 'startsession' },
				args: { KSID: 'EXPIRED', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' }
			});
			expect((await listVideos(facade, 'list:*,sview:*')).totalCount).to.equal(1);
			const starts = kaltura.stats.callsTo('apptoken', 'startSession');
			expect(starts.map((call) => call.errorCode ?? 'ok')).to.deep.equal(['ok', 'INVALID_KS', 'ok']);
			expect(kaltura.stats.count('session', 'startWidgetSession')).to.equal(2);
		});
	});

	describe('a token Kaltura refuses', () => {
		it('GIVEN a wrong token value THEN a KalturaError with a plain message, quoting neither token nor KS', async () => {
			const token = appToken();
			const wrong = { ...token, token: 'f'.repeat(32) };
			const error = await failureOf(listVideos(facadeFor(wrong).facade));
			expect(error.code).to.equal('INVALID_APP_TOKEN_HASH');
			expect(error.userMessage).to.equal(
				'The bot could not sign in to Kaltura: its app token was refused (check the token and its hash type).'
			);
			expect(error.transient).to.equal(false);
			expectNoSecretsIn(error, wrong.token);
			expectNoSecretsIn(error, token.token);
		});

		it('GIVEN a hash type other than the token’s THEN the hash is refused the same way', async () => {
			const token = appToken({ hashType: 'SHA256' });
			const error = await failureOf(listVideos(facadeFor(token, 'SHA1').facade));
			expect(error.code).to.equal('INVALID_APP_TOKEN_HASH');
			expectNoSecretsIn(error, token.token);
		});

		it('GIVEN an unknown token id THEN it says the app token does not exist', async () => {
			const error = await failureOf(listVideos(facadeFor({ id: '0_missing1', token: 'a'.repeat(32) }).facade));
			expect(error.code).to.equal('APP_TOKEN_ID_NOT_FOUND');
			expect(error.userMessage).to.equal('The bot could not sign in to Kaltura: its app token does not exist (check the app token id).');
			expect(error.message).to.not.include('0_missing1');
		});

		it('GIVEN a disabled token THEN it says so, plainly and without the token', async () => {
			const token = appToken({ status: 1 });
			const error = await failureOf(listVideos(facadeFor(token).facade));
			expect(error.code).to.equal('APP_TOKEN_NOT_ACTIVE');
			expect(error.userMessage).to.equal('The bot could not sign in to Kaltura: its app token is disabled.');
			expectNoSecretsIn(error, token.token);
		});

		it('GIVEN an expired token THEN it says so, plainly and without the token', async () => {
			const token = appToken({ expiry: kaltura.state.now() - 60 });
			const error = await failureOf(listVideos(facadeFor(token).facade));
			expect(error.code).to.equal('APP_TOKEN_EXPIRED');
			expect(error.userMessage).to.equal('The bot could not sign in to Kaltura: its app token has expired.');
			expectNoSecretsIn(error, token.token);
		});

		it('GIVEN a refusal THEN nothing is cached: the next call tries again', async () => {
			const token = appToken({ status: 1 });
			const { facade } = facadeFor(token);
			await failureOf(listVideos(facade));
			kaltura.state.appTokens.get(token.id)!.status = 2;
			expect((await listVideos(facade)).totalCount).to.equal(1);
		});
	});

	describe('a token that overrides the session', () => {
		it('GIVEN a token fixed to ADMIN sessions THEN member (USER) sessions are refused; admin calls still work', async () => {
			const token = appToken({ sessionType: KalturaSessionType.Admin });
			const { facade } = facadeFor(token);
			const error = await failureOf(listVideos(facade));
			expect(error.code).to.equal('APP_TOKEN_SESSION_TYPE');
			expectNoSecretsIn(error, token.token);
			const users = await facade.admin(LIST_USERS, () => kalturaClient.services.user!.listAction!()).then(asList);
			expect(users.objectType).to.equal('KalturaUserListResponse');
		});

		it('GIVEN a token fixed to one Kaltura user THEN sessions for anyone else are refused', async () => {
			const token = appToken({ sessionUserId: 'shared-account' });
			const error = await failureOf(listVideos(facadeFor(token).facade));
			expect(error.code).to.equal('APP_TOKEN_SESSION_USER');
			expect(error.userMessage).to.not.include('shared-account');
		});
	});

	describe('wired by createBot from KALTURA_SESSION_SOURCE=app-token', () => {
		let recorder: RestRecorder;
		let bot: TestBot;
		let token: { id: string; token: string };
		let members: { id: string; token: string };

		before(async () => {
			token = appToken({ hashType: 'SHA512' });
			members = memberToken({ hashType: 'SHA256' });
			recorder = await new RestRecorder().start();
			bot = await createTestBot({
				env: {
					DISCORD_API_URL: recorder.apiUrl,
					KALTURA_SERVICE_URL: kaltura.serviceUrl,
					KALTURA_PARTNER_ID: String(PARTNER_ID),
					KALTURA_SESSION_SOURCE: 'app-token',
					KALTURA_APP_TOKEN_ID: token.id,
					KALTURA_APP_TOKEN: token.token,
					KALTURA_APP_TOKEN_HASH_TYPE: 'sha512',
					KALTURA_MEMBER_APP_TOKEN_ID: members.id,
					KALTURA_MEMBER_APP_TOKEN: members.token,
					KALTURA_MEMBER_APP_TOKEN_HASH_TYPE: 'sha256',
					// The admin secret is not needed with an app token; the test environment's would not match this partner anyway.
					KALTURA_ADMIN_SECRET: ''
				}
			});
			await bot.prepare();
		});

		after(async () => {
			await bot?.stop();
			await recorder?.stop();
		});

		it('GIVEN the bot’s Kaltura facade THEN its sessions come from the app token, and the token is a redacted secret', async () => {
			expect(container.env.KALTURA_ADMIN_SECRET).to.equal(undefined);
			const result = await container.kaltura
				.call({ userId: 'discord-bot-search', privileges: 'list:*' }, () => kalturaClient.services.media!.listAction!())
				.then(asList);
			expect(result.totalCount).to.equal(1);
			expect(kaltura.stats.count('apptoken', 'startSession')).to.equal(1);
			expect(kaltura.stats.count('session', 'start')).to.equal(0);
			expect(container.redactor.redact(`token=${token.token}`)).to.equal('token=[REDACTED]');
			bot.logger.warn(`a line quoting the token ${token.token}`);
			expect(bot.log.text()).to.not.include(token.token);
			expect(container.redactor.redact(`token=${members.token}`)).to.equal('token=[REDACTED]');
		});

		/**
		 * A host's KS for a meeting room, as a join link carries it: a USER session of the member's Kaltura identity
		 * in the guild, limited to one event, from the members' session source (the core's `userKs`, which the
		 * meetings plugin calls; its link lives until the meeting's end plus a margin, here an hour and a quarter).
		 */
		async function hostKs(meetingId: string, hostId: string): Promise<string> {
			const userId = await container.identity.kalturaUserIdOf('1000', hostId);
			const privileges = `eventId:${meetingId},role:adminRole,userContextualRole:0,firstName:Host ${hostId}`;
			return container.kaltura.userKs({ userId, privileges }, 3600 + 15 * 60);
		}

		it('GIVEN a member ends their join-link KS with session.end THEN the bot’s own sessions and other members’ links keep working', async () => {
			const mine = await hostKs('30001', '111');
			const theirs = await hostKs('30002', '222');
			// What any member can do with the KS in their link: Kaltura lets every USER session end itself.
			const client = createRawClient(kaltura.serviceUrl);
			client.setKs(mine);
			await rawKaltura.services.session.end().execute(client);
			expect(await rejectionOf(rawKaltura.services.session.get().execute(client))).to.deep.include({
				args: { KSID: 'LOGOUT', ERR_CODE: '-1', ERR_DESC: 'INVALID_STR' }
			});

			// The bot still works: its admin and USER sessions carry another session id.
			const users = await container.kaltura.admin(LIST_USERS, () => kalturaClient.services.user!.listAction!()).then(asList);
			expect(users.objectType).to.equal('KalturaUserListResponse');
			const videos = await container.kaltura
				.call({ userId: 'discord-bot-search', privileges: 'list:*' }, () => kalturaClient.services.media!.listAction!())
				.then(asList);
			expect(videos.totalCount).to.equal(1);
			expect(kaltura.stats.callsTo('user', 'list').at(-1)!.errorCode).to.equal(undefined);
			// Both links came from the members' token, never the bot's own.
			expect(kaltura.parseKs(mine).privileges.apptoken).to.equal(members.id);
			expect(kaltura.parseKs(theirs).privileges.apptoken).to.equal(members.id);
			// The other member's link still works, and so does a new link for the member who ended theirs.
			client.setKs(theirs);
			expect((await rawKaltura.services.session.get().execute(client)).userId).to.equal('discord_222');
			client.setKs(await hostKs('30003', '111'));
			expect((await rawKaltura.services.session.get().execute(client)).userId).to.equal('discord_111');
		});
	});
});
