import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { CONFIG_DIRECTORY, PLUGINS_DIRECTORY } from '../../../src/core/paths.js';
import { abortedUploads } from '../../../src/core/api/read-json-body.js';
import notifications from '../../../plugins/notifications/plugin.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { phpUrlencode, signKalturaPayload, type HashAlgo } from '../../harness/kaltura/notification-sender.js';
import { extendSignature } from '../../helpers/length-extension.js';
import { createTestBot, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

/** Where the plugin keeps its SQLite store: `<DATA_DIR>/notifications.sqlite`, as docs/plugins/notifications.md tells operators. */
const sqliteStoreFile = (dataDirectory: string) => join(dataDirectory, 'notifications.sqlite');

const PARTNER_ID = 4321;
const SECRET = TEST_SECRETS.KALTURA_ADMIN_SECRET;

interface Row {
	key: string;
	type: string;
	payload: string | null;
}

interface Answer {
	status: number;
	headers: Headers;
	body: { status?: string; reason?: string; type?: string; error?: { code: string } };
}

/** A bot on the notifications plugin with its own data directory, and helpers to post to it and read its store. */
async function startBot(kaltura: KalturaStandIn, env: Record<string, string> = {}) {
	const dataDirectory = mkdtempSync(join(tmpdir(), 'notifications-hardening-'));
	const bot: TestBot = await createTestBot({
		env: { KALTURA_SERVICE_URL: kaltura.serviceUrl, KALTURA_PARTNER_ID: String(PARTNER_ID), DATA_DIR: dataDirectory, ...env },
		pluginRoots: [PLUGINS_DIRECTORY],
		configDirectory: CONFIG_DIRECTORY
	});
	await bot.prepare();
	// As on connecting to Discord: the plugin's store and worker run from its start hook.
	await bot.pluginLifecycle.start('notifications');
	const url = `${bot.apiUrl('127.0.0.1')}/webhooks/kaltura`;
	return {
		bot,
		url,
		dataDirectory,
		async post(body: string | Buffer, headers: Record<string, string>): Promise<Answer> {
			const response = await fetch(url, { method: 'POST', body, headers });
			return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
		},
		rows(): Row[] {
			const file = sqliteStoreFile(dataDirectory);
			if (!existsSync(file)) return [];
			const db = new Database(file, { readonly: true });
			try {
				return db.prepare('SELECT key, type, payload FROM events ORDER BY seq').all() as Row[];
			} finally {
				db.close();
			}
		},
		async stop() {
			await bot.stop();
			rmSync(dataDirectory, { recursive: true, force: true });
		}
	};
}

type Bot = Awaited<ReturnType<typeof startBot>>;

const signed = (body: string | Buffer, algo: HashAlgo = 'sha256', contentType = 'application/json') => ({
	'Content-Type': contentType,
	'X-KALTURA-SIGNATURE': signKalturaPayload(SECRET, body, algo),
	'X-KALTURA-HASH-ALGO': algo
});

/** What the verifier did before the algorithm was pinned and the body read strictly: HASH(secret + body), any algorithm named. */
const oldVerifierAccepts = (body: Buffer, signature: string, algo: HashAlgo) =>
	createHash(algo).update(SECRET).update(body).digest('hex') === signature;

const nowSeconds = () => Math.floor(Date.now() / 1000);

function notification(jobId: number, name: string, extra: Record<string, unknown> = {}): string {
	return JSON.stringify({
		objectType: 'KalturaHttpNotification',
		eventNotificationJobId: jobId,
		eventType: 3,
		eventObjectType: 1,
		object: {
			objectType: 'KalturaMediaEntry',
			id: `0_${jobId}`,
			name,
			partnerId: PARTNER_ID,
			status: 2,
			type: 1,
			updatedAt: nowSeconds(),
			...extra
		}
	});
}

describe('notifications webhook: length-extension forgeries', () => {
	let kaltura: KalturaStandIn;

	before(async () => {
		kaltura = await KalturaStandIn.start({
			partnerId: PARTNER_ID,
			adminSecret: SECRET,
			notifications: { attempts: 1, retryIntervalMs: 20, autoDispatch: false }
		});
	});

	after(async () => {
		await kaltura?.stop();
	});

	for (const algo of ['sha1', 'sha256', 'sha512'] as const) {
		describe(`with KALTURA_WEBHOOK_HASH=${algo}`, () => {
			let bot: Bot;

			before(async () => {
				bot = await startBot(kaltura, { KALTURA_WEBHOOK_HASH: algo });
			});

			after(async () => {
				await bot?.stop();
			});

			for (const captured of ['json', 'form'] as const) {
				it(`GIVEN a captured ${captured === 'json' ? 'JSON' : 'data= form'} notification extended with padding and &data=<forged JSON> THEN the forged signature is one the old verifier accepted, and it is refused 400 with nothing stored`, async () => {
					// A genuine notification, as Kaltura sends it, captured on the way.
					const entry = kaltura.state.addEntry({ name: `Genuine ${algo} ${captured}` });
					const genuine = await kaltura.notifications.sendEvent({
						url: bot.url,
						event: 'entryReady',
						object: String(entry.id),
						algo,
						format: captured === 'json' ? 'object' : 'urlencoded-object'
					});
					expect(genuine.statuses).to.deep.equal([200]);
					const original = Buffer.from(genuine.body, 'utf8');
					// The forger knows the secret's length at most (here: exactly), never the secret.
					const forgedJobId = 990_000 + (genuine.jobId! % 10_000);
					const appended = Buffer.from(`&data=${phpUrlencode(notification(forgedJobId, 'Forged'))}`);
					const forgery = extendSignature(algo, genuine.signature, Buffer.byteLength(SECRET), original, appended);
					expect(oldVerifierAccepts(forgery.message, forgery.signature, algo), 'the forgery is a valid HASH(secret + body)').to.equal(true);

					const answer = await bot.post(forgery.message, {
						'Content-Type': 'application/x-www-form-urlencoded',
						'X-KALTURA-SIGNATURE': forgery.signature,
						'X-KALTURA-HASH-ALGO': algo
					});
					expect(answer.status).to.equal(400);
					expect(answer.body.error?.code).to.be.oneOf(['invalid_utf8', 'trailing_data', 'extra_form_field']);
					expect(bot.rows().map((row) => row.key)).to.not.include(`job:${forgedJobId}`);
					expect(bot.rows().map((row) => row.key)).to.include(`job:${genuine.jobId}`);
				});
			}
		});
	}
});

describe('notifications webhook: strict bodies, pinned hash, replays, noise', () => {
	let kaltura: KalturaStandIn;
	let bot: Bot;

	before(async () => {
		kaltura = await KalturaStandIn.start({
			partnerId: PARTNER_ID,
			adminSecret: SECRET,
			notifications: { attempts: 1, retryIntervalMs: 20, autoDispatch: false }
		});
		bot = await startBot(kaltura);
		const store = await notifications.services().store.open();
		await store.subscribe({
			guildId: '100000000000000009',
			channelId: '200000000000000009',
			events: ['entry.ready'],
			categoryId: null,
			roleId: null
		});
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
	});

	it('GIVEN a signed body with a key twice THEN 400 duplicate_key and nothing stored', async () => {
		const body = `{"eventNotificationJobId":501,"eventType":3,"eventObjectType":1,"object":{"id":"0_a","status":2,"updatedAt":${nowSeconds()}},"eventNotificationJobId":502}`;
		const answer = await bot.post(body, signed(body));
		expect([answer.status, answer.body.error?.code]).to.deep.equal([400, 'duplicate_key']);
		expect(bot.rows().map((row) => row.key)).to.not.include.members(['job:501', 'job:502']);
	});

	it('GIVEN a signed body with bytes after its JSON document THEN 400 trailing_data and nothing stored', async () => {
		for (const tail of ['\u0000', '{"eventNotificationJobId":504}', ' x']) {
			const body = `${notification(503, 'Trailing')}${tail}`;
			const answer = await bot.post(body, signed(body));
			expect([answer.status, answer.body.error?.code], JSON.stringify(tail)).to.deep.equal([400, 'trailing_data']);
		}
		expect(bot.rows().map((row) => row.key)).to.not.include('job:503');
	});

	it('GIVEN a signed data= form with a second data field THEN 400 extra_form_field, and neither value is stored', async () => {
		const body = `data=${phpUrlencode(notification(505, 'First'))}&data=${phpUrlencode(notification(506, 'Second'))}`;
		const answer = await bot.post(body, signed(body, 'sha256', 'application/x-www-form-urlencoded'));
		expect([answer.status, answer.body.error?.code]).to.deep.equal([400, 'extra_form_field']);
		expect(bot.rows().map((row) => row.key)).to.not.include.members(['job:505', 'job:506']);
	});

	it('GIVEN a correct signature whose X-KALTURA-HASH-ALGO names another hash than the pinned sha256, or none THEN 401', async () => {
		for (const algo of ['sha1', 'sha512'] as const) {
			const body = notification(507, `Signed with ${algo}`);
			expect((await bot.post(body, signed(body, algo))).status, algo).to.equal(401);
		}
		const body = notification(507, 'No header');
		const answer = await bot.post(body, { 'Content-Type': 'application/json', 'X-KALTURA-SIGNATURE': signKalturaPayload(SECRET, body, 'sha1') });
		expect(answer.status).to.equal(401);
		expect(bot.rows().map((row) => row.key)).to.not.include('job:507');
	});

	it('GIVEN a signed, very deeply nested body THEN 200 unprocessable, not stored, no 503, and logged once', async () => {
		const depth = 100_000;
		const body = `{"eventNotificationJobId":508,"eventType":3,"eventObjectType":1,"object":{"id":"0_deep","status":2,"nested":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
		const first = await bot.post(body, signed(body));
		const second = await bot.post(body, signed(body));
		expect([first.status, first.body]).to.deep.equal([200, { status: 'unprocessable', reason: 'too_deep' }]);
		expect(second.status).to.equal(200);
		expect(bot.rows().map((row) => row.key)).to.not.include('job:508');
		expect(bot.bot.log.text().match(/acknowledged but not read/g) ?? []).to.have.length.at.most(1);
	});

	it('GIVEN an unsigned malformed body THEN still 401', async () => {
		const body = `{"eventNotificationJobId":509,${'['.repeat(1000)}`;
		expect(
			(await bot.post(body, { 'Content-Type': 'application/json', 'X-KALTURA-SIGNATURE': '00'.repeat(32), 'X-KALTURA-HASH-ALGO': 'sha256' }))
				.status
		).to.equal(401);
	});

	it('GIVEN a notification replayed after retention deleted its event THEN it is a duplicate, not stored or queued again', async () => {
		const entry = kaltura.state.addEntry({ name: 'Replayed' });
		const genuine = await kaltura.notifications.sendEvent({ url: bot.url, event: 'entryReady', object: String(entry.id) });
		expect(JSON.parse(genuine.attempts[0]!.responseBody!)).to.include({ status: 'stored' });
		const store = await notifications.services().store.open();
		// Retention as the sweeper runs it, with everything received so far older than the retention.
		await store.prune(Date.now() + 1);
		expect(bot.rows().map((row) => row.key)).to.not.include(`job:${genuine.jobId}`);
		const replay = await bot.post(genuine.body, genuine.headers);
		expect([replay.status, replay.body.status]).to.deep.equal([200, 'duplicate']);
		expect(bot.rows().map((row) => row.key)).to.not.include(`job:${genuine.jobId}`);
		expect((await store.allDeliveries()).map((row) => row.event_key)).to.not.include(`job:${genuine.jobId}`);
	});

	it('GIVEN a notification about an object last changed longer ago than NOTIFICATIONS_MAX_EVENT_AGE_DAYS THEN 200 stale, not stored', async () => {
		const body = notification(510, 'Old news', { updatedAt: nowSeconds() - 8 * 86_400 });
		const answer = await bot.post(body, signed(body));
		expect([answer.status, answer.body.status]).to.deep.equal([200, 'stale']);
		expect(bot.rows().map((row) => row.key)).to.not.include('job:510');
		const fresh = notification(511, 'News', { updatedAt: nowSeconds() - 6 * 86_400 });
		expect((await bot.post(fresh, signed(fresh))).body.status).to.equal('stored');
	});

	it('GIVEN an event type no subscription wants THEN only its key and type are kept; a wanted one keeps its body', async () => {
		const entry = kaltura.state.addEntry({ name: 'Nobody subscribed' });
		const unwanted = await kaltura.notifications.sendEvent({ url: bot.url, event: 'entryAdded', object: String(entry.id) });
		const wanted = await kaltura.notifications.sendEvent({ url: bot.url, event: 'entryReady', object: String(entry.id) });
		const rows = bot.rows();
		expect(rows.find((row) => row.key === `job:${unwanted.jobId}`)).to.deep.equal({
			key: `job:${unwanted.jobId}`,
			type: 'entry.added',
			payload: null
		});
		expect(JSON.parse(rows.find((row) => row.key === `job:${wanted.jobId}`)!.payload!)).to.have.nested.property(
			'object.name',
			'Nobody subscribed'
		);
		// Its key still refuses it again.
		const again = await bot.post(unwanted.body, unwanted.headers);
		expect(again.body.status).to.equal('duplicate');
	});

	it('GIVEN an address that keeps sending bad signatures THEN it gets 429 with Retry-After, while a signed notification from it is still accepted', async () => {
		const body = notification(512, 'Guessing');
		const statuses: number[] = [];
		let retryAfter: string | null = null;
		for (let attempt = 0; attempt < 30; attempt++) {
			const answer = await bot.post(body, {
				'Content-Type': 'application/json',
				'X-KALTURA-SIGNATURE': createHash('sha256').update(`guess ${attempt}`).digest('hex'),
				'X-KALTURA-HASH-ALGO': 'sha256'
			});
			statuses.push(answer.status);
			if (answer.status === 429) retryAfter = answer.headers.get('retry-after');
		}
		// A burst of 20 failures per address (some spent by the tests above), then 429 for every further one.
		const throttledFrom = statuses.indexOf(429);
		expect(throttledFrom).to.be.within(10, 20);
		expect(statuses.slice(0, throttledFrom).every((status) => status === 401)).to.equal(true);
		expect(statuses.slice(throttledFrom).every((status) => status === 429)).to.equal(true);
		expect(Number(retryAfter)).to.be.at.least(1);
		const entry = kaltura.state.addEntry({ name: 'Genuine, same address' });
		const genuine = await kaltura.notifications.sendEvent({ url: bot.url, event: 'entryReady', object: String(entry.id) });
		expect(genuine.statuses).to.deep.equal([200]);
		expect(bot.bot.log.text().match(/with a refused signature in the last minute/g) ?? []).to.have.length.at.most(1);
	});

	it('GIVEN uploads cut off by the client THEN they are logged at most once a minute, with a count and no stack trace', async () => {
		const { port } = new URL(bot.url);
		for (let attempt = 0; attempt < 3; attempt++) {
			await new Promise<void>((done) => {
				const socket = connect(Number(port), '127.0.0.1', () => {
					socket.write(
						`POST /api/v1/webhooks/kaltura HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"partial":`
					);
					setTimeout(() => socket.destroy(), 50);
				});
				socket.once('close', () => done());
			});
		}
		await new Promise((resume) => setTimeout(resume, 100));
		abortedUploads.flush();
		const lines = bot.bot.log.lines.filter((line) => line.includes('cut off by the client'));
		expect(lines.length).to.be.within(1, 2);
		const counted = lines.reduce((sum, line) => sum + Number(/(\d+) request body upload/.exec(line)?.[1] ?? 0), 0);
		expect(counted).to.be.at.least(3);
		expect(bot.bot.log.text()).to.not.match(/\n\s+at .+\(.*read-json-body/);
		expect(bot.bot.log.text()).to.not.include('API route POST webhooks/kaltura failed');
	});

	it('GIVEN a body over the limit on a kept-alive connection THEN 413 with Connection: close, and the connection is closed', async () => {
		const { port } = new URL(bot.url);
		const { head, closed } = await new Promise<{ head: string; closed: boolean }>((done) => {
			let received = '';
			const socket = connect(Number(port), '127.0.0.1', () => {
				socket.write(
					`POST /api/v1/webhooks/kaltura HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`
				);
				const chunk = 'x'.repeat(64 * 1024);
				for (let index = 0; index < 5; index++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
			});
			socket.on('data', (data: Buffer) => (received += data.toString('latin1')));
			socket.on('error', () => undefined);
			const timer = setTimeout(() => (socket.destroy(), done({ head: received, closed: false })), 3_000);
			socket.once('close', () => (clearTimeout(timer), done({ head: received, closed: true })));
		});
		expect(head).to.match(/^HTTP\/1\.1 413/);
		expect(head.toLowerCase()).to.include('connection: close');
		expect(closed).to.equal(true);
	});
});
