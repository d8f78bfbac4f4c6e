import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { InteractionResponseType } from 'discord-api-types/v10';
import { CONFIG_DIRECTORY, PLUGINS_DIRECTORY } from '../../../src/core/paths.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { signKalturaPayload, type HashAlgo } from '../../harness/kaltura/notification-sender.js';
import { ADMIN, chatInputInteraction, dispatchInteraction } from '../../helpers/raw-interactions.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { createTestBot, prepareTestBot, PROJECT_PLUGINS, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';
import notifications from '../../../plugins/notifications/plugin.js';

/** Where the plugin keeps its SQLite store: `<DATA_DIR>/notifications.sqlite`, as docs/plugins/notifications.md tells operators. */
const sqliteStoreFile = (dataDirectory: string) => join(dataDirectory, 'notifications.sqlite');

const PARTNER_ID = 4321;

interface Row {
	key: string;
	type: string;
	event_type: number | null;
	event_object_type: string | null;
	object_id: string | null;
	payload: string | null;
}

describe('notifications plugin: Kaltura webhooks from the stand-in into the SQLite event store', () => {
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let dataDirectory: string;
	let url: string;

	before(async () => {
		dataDirectory = mkdtempSync(join(tmpdir(), 'notifications-'));
		kaltura = await KalturaStandIn.start({
			partnerId: PARTNER_ID,
			adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET,
			notifications: { attempts: 3, retryIntervalMs: 20, autoDispatch: false }
		});
		bot = await createTestBot({
			env: { KALTURA_SERVICE_URL: kaltura.serviceUrl, KALTURA_PARTNER_ID: String(PARTNER_ID), DATA_DIR: dataDirectory },
			pluginRoots: [PLUGINS_DIRECTORY],
			configDirectory: CONFIG_DIRECTORY
		});
		await bot.prepare();
		// As on connecting to Discord: the plugin's store and worker run from its start hook.
		await bot.pluginLifecycle.start('notifications');
		url = `${bot.apiUrl('127.0.0.1')}/webhooks/kaltura`;
		// Bodies are kept only for types a subscription wants: entry.ready's are read below.
		const store = await notifications.services().store.open();
		await store.subscribe({
			guildId: '100000000000000003',
			channelId: '200000000000000003',
			events: ['entry.ready'],
			categoryId: null,
			roleId: null
		});
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
	});

	/** What the SQLite file holds, read through a connection of its own as another process would. */
	function rows(): Row[] {
		const file = sqliteStoreFile(dataDirectory);
		if (!existsSync(file)) return [];
		const db = new Database(file, { readonly: true });
		try {
			return db.prepare('SELECT key, type, event_type, event_object_type, object_id, payload FROM events ORDER BY seq').all() as Row[];
		} finally {
			db.close();
		}
	}

	const rowFor = (jobId: number) => rows().find((row) => row.key === `job:${jobId}`);

	/** A raw POST, for the cases the sender cannot produce. */
	async function post(body: string, headers: Record<string, string>) {
		const response = await fetch(url, { method: 'POST', body, headers });
		return {
			status: response.status,
			body: (await response.json()) as { error?: { code: string; message: string }; status?: string; type?: string }
		};
	}

	function signedHeaders(body: string, algo: HashAlgo = 'sha256'): Record<string, string> {
		return {
			'Content-Type': 'application/json',
			'X-KALTURA-SIGNATURE': signKalturaPayload(TEST_SECRETS.KALTURA_ADMIN_SECRET, body, algo),
			'X-KALTURA-HASH-ALGO': algo
		};
	}

	// The pinned hash (KALTURA_WEBHOOK_HASH, sha256 by default); the other two are refused (and accepted when pinned: notifications-webhook-hardening.test.ts).
	for (const algo of ['sha256'] as const) {
		it(`GIVEN an entry-ready notification signed with ${algo} THEN it is answered 200 once and stored as entry.ready`, async () => {
			const entry = kaltura.state.addEntry({ name: `Signed with ${algo}` });
			const result = await kaltura.notifications.sendEvent({ url, event: 'entryReady', object: String(entry.id), algo });
			expect(result.statuses).to.deep.equal([200]);
			expect(result.delivered).to.equal(true);
			const row = rowFor(result.jobId!);
			expect(row).to.include({ type: 'entry.ready', event_type: 3, event_object_type: '1', object_id: entry.id });
			expect(JSON.parse(row!.payload!)).to.have.nested.property('object.name', `Signed with ${algo}`);
		});
	}

	it('GIVEN an old server that sends no X-KALTURA-HASH-ALGO (SHA-1) THEN refused while the bot is pinned to sha256', async () => {
		const entry = kaltura.state.addEntry({ name: 'No algo header' });
		const result = await kaltura.notifications.sendEvent({
			url,
			event: 'entryAdded',
			object: String(entry.id),
			algo: 'sha1',
			sendAlgoHeader: false,
			attempts: 1
		});
		expect(result.statuses).to.deep.equal([401]);
		expect(rowFor(result.jobId!)).to.equal(undefined);
	});

	it('GIVEN the urlencoded data= variant THEN it is parsed and stored like the JSON one', async () => {
		const entry = kaltura.state.addEntry({ name: 'Url-encoded' });
		const result = await kaltura.notifications.sendEvent({
			url,
			event: 'entryReady',
			object: String(entry.id),
			format: 'urlencoded-object',
			algo: 'sha256'
		});
		expect(result.statuses).to.deep.equal([200]);
		const row = rowFor(result.jobId!);
		expect(row).to.include({ type: 'entry.ready', object_id: entry.id });
		expect(JSON.parse(row!.payload!)).to.have.nested.property('object.name', 'Url-encoded');
	});

	describe('refused signatures: 401, no detail, nothing stored', () => {
		it('GIVEN a signature made with another secret THEN 401 and the sender gives up after its attempts', async () => {
			const before = rows().length;
			const result = await kaltura.notifications.sendEvent({
				url,
				event: 'entryReady',
				object: String(kaltura.state.addEntry().id),
				secret: 'not-the-admin-secret',
				attempts: 2
			});
			expect(result.statuses).to.deep.equal([401, 401]);
			expect(result.delivered).to.equal(false);
			expect(JSON.parse(result.attempts[0]!.responseBody!)).to.deep.equal({
				error: { code: 'invalid_signature', message: 'The notification signature was refused.' }
			});
			expect(rows()).to.have.length(before);
		});

		it('GIVEN no signature header THEN 401', async () => {
			const before = rows().length;
			const body = JSON.stringify({ eventNotificationJobId: 1, eventType: 3, eventObjectType: 1, object: { id: '0_none' } });
			const response = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
			expect(response.status).to.equal(401);
			expect(response.headers.get('www-authenticate')).to.equal(null);
			expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('invalid_signature');
			expect(rows()).to.have.length(before);
		});

		it('GIVEN a SHA-256 signature with a header claiming SHA-512 THEN 401', async () => {
			const before = rows().length;
			const result = await kaltura.notifications.sendEvent({
				url,
				event: 'entryReady',
				object: String(kaltura.state.addEntry().id),
				algo: 'sha256',
				attempts: 1,
				headers: { 'X-KALTURA-HASH-ALGO': 'sha512' }
			});
			expect(result.headers['X-KALTURA-HASH-ALGO']).to.equal('sha512');
			expect(result.statuses).to.deep.equal([401]);
			expect(rows()).to.have.length(before);
		});

		it('GIVEN an algorithm other than sha1, sha256 and sha512 THEN 401 even when the hash matches it', async () => {
			const body = JSON.stringify({ eventNotificationJobId: 2, eventType: 3, eventObjectType: 1, object: { id: '0_md5' } });
			const signature = createHash('md5')
				.update(TEST_SECRETS.KALTURA_ADMIN_SECRET + body)
				.digest('hex');
			const { status } = await post(body, {
				'Content-Type': 'application/json',
				'X-KALTURA-SIGNATURE': signature,
				'X-KALTURA-HASH-ALGO': 'md5'
			});
			expect(status).to.equal(401);
			expect(rowFor(2)).to.equal(undefined);
		});

		it('GIVEN a valid signature of a different body THEN 401', async () => {
			const signed = JSON.stringify({ eventNotificationJobId: 3, eventType: 3, eventObjectType: 1, object: { id: '0_a' } });
			const sent = signed.replace('0_a', '0_b');
			const { status } = await post(sent, signedHeaders(signed));
			expect(status).to.equal(401);
			expect(rowFor(3)).to.equal(undefined);
		});
	});

	it('GIVEN the same job id three times THEN all three get 200 and it is stored once', async () => {
		const entry = kaltura.state.addEntry({ name: 'Thrice' });
		const jobId = kaltura.notifications.nextJobId();
		const results = [];
		for (let i = 0; i < 3; i++)
			results.push(await kaltura.notifications.sendEvent({ url, event: 'entryReady', object: String(entry.id), jobId, algo: 'sha256' }));
		expect(results.map((result) => result.statuses)).to.deep.equal([[200], [200], [200]]);
		expect(results.map((result) => (JSON.parse(result.attempts[0]!.responseBody!) as { status: string }).status)).to.deep.equal([
			'stored',
			'duplicate',
			'duplicate'
		]);
		expect(rows().filter((row) => row.key === `job:${jobId}`)).to.have.length(1);
	});

	it('GIVEN the same job id sent concurrently THEN it is stored once', async () => {
		const entry = kaltura.state.addEntry({ name: 'Concurrent' });
		const jobId = kaltura.notifications.nextJobId();
		const results = await Promise.all(
			[1, 2, 3].map(() => kaltura.notifications.sendEvent({ url, event: 'entryReady', object: String(entry.id), jobId }))
		);
		expect(results.map((result) => result.statuses)).to.deep.equal([[200], [200], [200]]);
		expect(rows().filter((row) => row.key === `job:${jobId}`)).to.have.length(1);
	});

	it('GIVEN a stored notification THEN the sender stops after the first 200 instead of retrying', async () => {
		const result = await kaltura.notifications.sendEvent({
			url,
			event: 'userCreated',
			object: { id: 'new-member', partnerId: PARTNER_ID, objectType: 'KalturaUser' },
			attempts: 3
		});
		expect(result.attempts).to.have.length(1);
		expect(result.statuses).to.deep.equal([200]);
		expect(rowFor(result.jobId!)).to.include({ type: 'user.created', object_id: 'new-member' });
	});

	it('GIVEN a payload without a job id THEN its content hash is the key, and a resend is a duplicate', async () => {
		const body = JSON.stringify({ eventType: 2, eventObjectType: 1, object: { id: '0_nojob', objectType: 'KalturaMediaEntry' } });
		const first = await post(body, signedHeaders(body));
		const second = await post(body, signedHeaders(body));
		expect([first.status, second.status]).to.deep.equal([200, 200]);
		expect([first.body.status, second.body.status]).to.deep.equal(['stored', 'duplicate']);
		const key = `sha256:${createHash('sha256').update(body).digest('hex')}`;
		expect(rows().filter((row) => row.key === key)).to.have.length(1);
	});

	it('GIVEN a body over 256 KiB THEN 413 and nothing stored', async () => {
		const before = rows().length;
		const body = JSON.stringify({
			eventNotificationJobId: 4,
			eventType: 3,
			eventObjectType: 1,
			object: { id: '0_big', description: 'x'.repeat(300 * 1024) }
		});
		const { status, body: answer } = await post(body, signedHeaders(body));
		expect(status).to.equal(413);
		expect(answer.error!.code).to.equal('payload_too_large');
		expect(rows()).to.have.length(before);
	});

	it('GIVEN a streamed (chunked) body over 256 KiB without a Content-Length THEN 413', async () => {
		const before = rows().length;
		const status = await new Promise<number>((resolve, reject) => {
			// Its own connection (no agent), written in chunks with no Content-Length, so only the counted bytes can trip the limit.
			const request = httpRequest(
				url,
				{ method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'X-KALTURA-SIGNATURE': '00' } },
				(response) => {
					response.resume();
					resolve(response.statusCode ?? 0);
				}
			);
			request.on('error', reject);
			const chunk = Buffer.alloc(64 * 1024, 'x');
			let written = 0;
			const writeMore = () => {
				while (written < 6) {
					written++;
					if (!request.write(chunk)) return void request.once('drain', writeMore);
				}
				request.end();
			};
			writeMore();
		});
		expect(status).to.equal(413);
		expect(rows()).to.have.length(before);
	});

	// Signed, so from Kaltura: answering anything but 200 would only have it sent again, for ever.
	it('GIVEN a signed body that is not JSON THEN 200 unprocessable, not stored', async () => {
		const body = '{"eventNotificationJobId": 5, "object": ';
		const { status, body: answer } = await post(body, signedHeaders(body));
		expect(status).to.equal(200);
		expect(answer).to.deep.equal({ status: 'unprocessable', reason: 'not_json' });
		expect(rowFor(5)).to.equal(undefined);
	});

	it('GIVEN signed JSON that is not an object THEN 200 unprocessable', async () => {
		const body = '[1,2,3]';
		const { status, body: answer } = await post(body, signedHeaders(body));
		expect(status).to.equal(200);
		expect(answer).to.deep.equal({ status: 'unprocessable', reason: 'not_an_object' });
	});

	it('GIVEN an event type the plugin does not know THEN 200, stored as unknown and counted', async () => {
		const result = await kaltura.notifications.sendEvent({
			url,
			event: 'categoryChanged',
			object: { id: 77, name: 'Some category', objectType: 'KalturaCategory' }
		});
		expect(result.statuses).to.deep.equal([200]);
		expect(JSON.parse(result.attempts[0]!.responseBody!)).to.deep.equal({ status: 'stored', type: 'unknown' });
		expect(rowFor(result.jobId!)).to.include({ type: 'unknown', event_type: 3, event_object_type: '2' });
		const counts = rows().reduce<Record<string, number>>((all, row) => ({ ...all, [row.type]: (all[row.type] ?? 0) + 1 }), {});
		expect(counts.unknown).to.be.at.least(1);
	});

	it('GIVEN each kind of event the stand-in sends THEN each is stored under its normalised type', async () => {
		const live = kaltura.state.addLiveStream({ name: 'Town hall' });
		const media = kaltura.state.addEntry({ name: 'Categorised' });
		const sent = [
			await kaltura.notifications.sendEvent({ url, event: 'liveStreamStarted', object: String(live.id) }),
			await kaltura.notifications.sendEvent({ url, event: 'liveStreamEnded', object: String(live.id) }),
			await kaltura.notifications.sendEvent({
				url,
				event: 'entryAddedToCategory',
				object: { entryId: media.id, categoryId: 12, objectType: 'KalturaCategoryEntry' }
			}),
			await kaltura.notifications.sendEvent({
				url,
				event: 'entryReady',
				object: { ...media, id: '0_rec', sourceType: '36', rootEntryId: live.id }
			})
		];
		const meeting = { id: 501, summary: 'Weekly', status: 2, startDate: 1, endDate: 2, objectType: 'KalturaMeetingScheduleEvent' };
		for (const [eventType, status] of [
			[5, 2],
			[3, 1]
		] as const) {
			const jobId = kaltura.notifications.nextJobId();
			const payload = kaltura.notifications.buildNotification({
				eventType,
				eventObjectType: 'scheduleEventNotifications.ScheduleEvent',
				object: { ...meeting, status },
				jobId
			});
			sent.push(await kaltura.notifications.send({ url, payload, jobId }));
		}
		expect(sent.map((result) => result.statuses)).to.deep.equal(sent.map(() => [200]));
		expect(sent.map((result) => rowFor(result.jobId!)?.type)).to.deep.equal([
			'live_stream.started',
			'live_stream.ended',
			'entry.added_to_category',
			'recording.ready',
			'meeting.scheduled',
			'meeting.cancelled'
		]);
	});
});

describe('notifications plugin: a bot without the admin secret (app token sessions)', () => {
	let bot: TestBot;
	let dataDirectory: string;

	before(async () => {
		dataDirectory = mkdtempSync(join(tmpdir(), 'notifications-'));
		bot = await createTestBot({
			env: {
				KALTURA_SESSION_SOURCE: 'app-token',
				KALTURA_ADMIN_SECRET: '',
				KALTURA_APP_TOKEN_ID: '0_abcd1234',
				KALTURA_APP_TOKEN: 'app-token-value-for-tests',
				KALTURA_MEMBER_APP_TOKEN_ID: '0_member12',
				KALTURA_MEMBER_APP_TOKEN: 'member-app-token-value-for-tests',
				DATA_DIR: dataDirectory
			},
			pluginRoots: [PLUGINS_DIRECTORY],
			configDirectory: CONFIG_DIRECTORY
		});
		await bot.prepare();
	});

	after(async () => {
		await bot?.stop();
		rmSync(dataDirectory, { recursive: true, force: true });
	});

	it('GIVEN a notification THEN 503 webhooks_not_configured with a plain message, and no store file is made', async () => {
		const body = JSON.stringify({ eventNotificationJobId: 9, eventType: 3, eventObjectType: 1, object: { id: '0_x' } });
		const response = await fetch(`${bot.apiUrl()}/webhooks/kaltura`, {
			method: 'POST',
			body,
			headers: { 'Content-Type': 'application/json', 'X-KALTURA-SIGNATURE': signKalturaPayload('anything', body, 'sha1') }
		});
		expect(response.status).to.equal(503);
		const answer = (await response.json()) as { error: { code: string; message: string } };
		expect(answer.error.code).to.equal('webhooks_not_configured');
		expect(answer.error.message).to.match(/admin secret/);
		expect(existsSync(sqliteStoreFile(dataDirectory))).to.equal(false);
	});
});

describe('notifications plugin: a bot whose MongoDB is down', () => {
	const MONGO_PASSWORD = 'm0ngo-passw0rd-never-logged';
	const GUILD = '100000000000000001';
	let kaltura: KalturaStandIn;
	let recorder: RestRecorder;
	let bot: TestBot;
	let dataDirectory: string;

	before(async () => {
		recorder = await new RestRecorder().start();
		dataDirectory = mkdtempSync(join(tmpdir(), 'notifications-'));
		kaltura = await KalturaStandIn.start({
			partnerId: PARTNER_ID,
			adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET,
			notifications: { attempts: 3, retryIntervalMs: 20, autoDispatch: false }
		});
		bot = await prepareTestBot(recorder, {
			...PROJECT_PLUGINS,
			// Port 9 (discard) is closed here: the connection is refused at once; the URL's own timeout keeps the test short.
			env: {
				KALTURA_SERVICE_URL: kaltura.serviceUrl,
				KALTURA_PARTNER_ID: String(PARTNER_ID),
				DATA_DIR: dataDirectory,
				MONGODB_URL: `mongodb://bot:${MONGO_PASSWORD}@127.0.0.1:9/kaltura?serverSelectionTimeoutMS=300`
			}
		});
		await bot.pluginLifecycle.start('notifications');
		await bot.guildConfig.set(GUILD, 'plugins.notifications.enabled', true);
	});

	after(async () => {
		await bot?.stop();
		await recorder?.stop();
		await kaltura?.stop();
		rmSync(dataDirectory, { recursive: true, force: true });
	});

	it('GIVEN a notification THEN 503 store_unavailable, so Kaltura keeps it and sends it again; no SQLite file instead; the password is not logged', async () => {
		const entry = kaltura.state.addEntry({ name: 'Waiting for the store' });
		const sent = await kaltura.notifications.sendEvent({
			url: `${bot.apiUrl('127.0.0.1')}/webhooks/kaltura`,
			event: 'entryReady',
			object: String(entry.id)
		});
		expect(sent.statuses).to.deep.equal([503, 503, 503]);
		expect(sent.delivered).to.equal(false);
		const answer = JSON.parse(sent.attempts[0]?.responseBody ?? '{}') as { error?: { code: string; message: string } };
		expect(answer.error).to.deep.equal({
			code: 'store_unavailable',
			message: 'The notification could not be stored right now; send it again later.'
		});
		expect(existsSync(sqliteStoreFile(dataDirectory))).to.equal(false);
		expect(bot.log.text()).to.include(`Kaltura notification job:${sent.jobId} could not be stored; Kaltura will send it again`);
		expect(bot.log.text()).to.not.include(MONGO_PASSWORD);
	});

	it('GIVEN /notifications list THEN the reply is deferred at once, then says the store cannot be reached and nothing changed', async () => {
		const raw = chatInputInteraction({ guildId: GUILD, member: ADMIN, name: 'notifications', subcommand: 'list' });
		dispatchInteraction(bot.client, raw);
		const callback = await recorder.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
		expect(callback.body).to.deep.include({ type: InteractionResponseType.DeferredChannelMessageWithSource });
		const edit = await recorder.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${raw.token}/messages/(@|%40)original`));
		expect((edit.body as { content?: string }).content).to.equal(
			'The notification store cannot be reached right now, so nothing was read or changed. Try again in a minute.'
		);
		expect(bot.log.text()).to.not.include(MONGO_PASSWORD);
	});
});

describe('notifications plugin: a bot whose SQLite store cannot be opened', () => {
	const GUILD = '100000000000000002';
	let recorder: RestRecorder;
	let bot: TestBot;
	let dataDirectory: string;

	before(async () => {
		recorder = await new RestRecorder().start();
		dataDirectory = mkdtempSync(join(tmpdir(), 'notifications-'));
		// A directory where the database file should be: SQLite cannot open it.
		mkdirSync(sqliteStoreFile(dataDirectory));
		bot = await prepareTestBot(recorder, { ...PROJECT_PLUGINS, env: { DATA_DIR: dataDirectory } });
		await bot.pluginLifecycle.start('notifications');
		await bot.guildConfig.set(GUILD, 'plugins.notifications.enabled', true);
	});

	after(async () => {
		await bot?.stop();
		await recorder?.stop();
		rmSync(dataDirectory, { recursive: true, force: true });
	});

	it('GIVEN a notification THEN 503 store_unavailable', async () => {
		const body = JSON.stringify({ eventNotificationJobId: 77, eventType: 3, eventObjectType: 1, object: { id: '0_x', status: 2 } });
		const response = await fetch(`${bot.apiUrl()}/webhooks/kaltura`, {
			method: 'POST',
			body,
			headers: {
				'Content-Type': 'application/json',
				'X-KALTURA-SIGNATURE': signKalturaPayload(TEST_SECRETS.KALTURA_ADMIN_SECRET, body, 'sha256'),
				'X-KALTURA-HASH-ALGO': 'sha256'
			}
		});
		expect(response.status).to.equal(503);
		expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('store_unavailable');
	});

	it('GIVEN /notifications status THEN the reply says the store cannot be reached and nothing changed', async () => {
		const raw = chatInputInteraction({ guildId: GUILD, member: ADMIN, name: 'notifications', subcommand: 'status' });
		dispatchInteraction(bot.client, raw);
		const callback = await recorder.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
		expect(callback.body).to.deep.include({ type: InteractionResponseType.ChannelMessageWithSource });
		expect((callback.body as { data: { content: string } }).data.content).to.equal(
			'The notification store cannot be reached right now, so nothing was read or changed. Try again in a minute.'
		);
	});
});
