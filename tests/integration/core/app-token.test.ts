import { container } from '@sapphire/framework';
import { expect } from 'chai';
import kalturaClient from 'kaltura-client';
import type { AppTokenHashType } from '../../../src/core/env.js';
import { KalturaFacade } from '../../../src/core/kaltura/kaltura-facade.js';
import { KalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import { AppTokenKsSource, type AppTokenKsSourceOptions, type KalturaAccount } from '../../../src/core/kaltura/ks-sources.js';
import { KalturaSessionType } from '../../../src/core/kaltura/ks-v2.js';
import { SessionCache } from '../../../src/core/kaltura/session-cache.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { createTestBot, type TestBot } from '../../helpers/test-bot.js';

const PARTNER_ID = 6543;
const ADMIN_SECRET = 'app-token-suite-admin-secret';

interface ListResponse {
	objectType: string;
	totalCount: number;
}

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

	/** An app token on the stand-in, as an operator would create it for the bot. */
	function appToken(fields: Record<string, unknown> = {}): { id: string; token: string } {
		const created = kaltura.state.addAppToken({ sessionPrivileges: 'list:*,sview:*', sessionDuration: 86_400, ...fields });
		return { id: String(created.id), token: String(created.token) };
	}

	function facadeFor(
		token: { id: string; token: string },
		hashType: AppTokenHashType = 'SHA1',
		options: AppTokenKsSourceOptions = {}
	): { facade: KalturaFacade; source: AppTokenKsSource } {
		const source = new AppTokenKsSource({ ...account, appToken: { ...token, hashType } }, { now: () => kaltura.state.now(), ...options });
		return { facade: new KalturaFacade(account, new SessionCache(source)), source };
	}

	const listVideos = (facade: KalturaFacade, privileges = 'list:*') =>
		facade.call<ListResponse>({ userId: 'discord-bot-search', privileges }, () => kalturaClient.services.media!.listAction!());

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

		it('GIVEN the KS THEN it carries the token’s privileges, the requested ones, and the requested USER type and user', async () => {
			const token = appToken({ sessionPrivileges: 'list:*,sview:*,appId:discord-bot' });
			const { facade } = facadeFor(token);
			const ks = await facade.userKs({ userId: 'discord_42', privileges: 'list:*,eventId:9' });
			const parsed = kaltura.parseKs(ks);
			expect(parsed).to.include({ partnerId: PARTNER_ID, userId: 'discord_42', type: KalturaSessionType.User });
			expect(parsed.privileges).to.deep.equal({ list: '*', sview: '*', appId: 'discord-bot', eventId: '9', sessionid: token.id, apptoken: token.id });
			expect(parsed.expiry - kaltura.state.now()).to.be.within(3_590, 3_610);
		});

		it('GIVEN an admin call through KalturaFacade.admin THEN only that session is ADMIN, acting as the bot', async () => {
			const { facade } = facadeFor(appToken());
			const users = await facade.admin<ListResponse>('', () => kalturaClient.services.user!.listAction!());
			expect(users.objectType).to.equal('KalturaUserListResponse');
			const adminCall = kaltura.stats.callsTo('user', 'list').at(-1)!;
			expect(kaltura.parseKs(adminCall.ks!)).to.include({ type: KalturaSessionType.Admin, userId: 'kaltura-discord-bot' });
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
			const widgetKs = kaltura.stats.callsTo('apptoken', 'startSession')[0]!.ks!;
			kaltura.state.endedKs.add(widgetKs);
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
			expect(error.userMessage).to.equal('The bot could not sign in to Kaltura: its app token was refused (check the token and its hash type).');
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
			await failureOf(facade.userKs({ userId: 'discord_1', privileges: '' }));
			const users = await facade.admin<ListResponse>('', () => kalturaClient.services.user!.listAction!());
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

		before(async () => {
			token = appToken({ hashType: 'SHA512' });
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
			const result = await container.kaltura.call<ListResponse>({ userId: 'discord-bot-search', privileges: 'list:*' }, () =>
				kalturaClient.services.media!.listAction!()
			);
			expect(result.totalCount).to.equal(1);
			expect(kaltura.stats.count('apptoken', 'startSession')).to.equal(1);
			expect(kaltura.stats.count('session', 'start')).to.equal(0);
			expect(container.redactor.redact(`token=${token.token}`)).to.equal('token=[REDACTED]');
			bot.logger.warn(`a line quoting the token ${token.token}`);
			expect(bot.log.text()).to.not.include(token.token);
		});
	});
});
