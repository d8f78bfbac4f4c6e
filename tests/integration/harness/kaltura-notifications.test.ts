/**
 * The stand-in's HTTP event notifications: payload, X-KALTURA-SIGNATURE per algorithm (verified here
 * independently with node:crypto), Kaltura's retry rule (only 200/204 succeed) and template-driven dispatch.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createKalturaClient, kaltura, KalturaStandIn, type KalturaClient } from '../../harness/kaltura/index.js';

const SECRET = 'hook-admin-secret';
const PID = 2468;

interface Received {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	raw: Buffer;
	at: number;
}

/** A webhook receiver that answers the scripted statuses in order (then the last one forever). */
class Receiver {
	readonly received: Received[] = [];
	statuses: number[] = [200];
	private server: Server | undefined;
	url = '';
	private waiters: Array<{ n: number; resolve: () => void }> = [];

	async start(): Promise<void> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				this.received.push({
					method: req.method ?? '',
					url: req.url ?? '',
					headers: req.headers,
					raw: Buffer.concat(chunks),
					at: Date.now()
				});
				const status = this.statuses.length > 1 ? (this.statuses.shift() as number) : (this.statuses[0] as number);
				res.writeHead(status);
				res.end(status === 204 ? undefined : 'ok');
				this.waiters = this.waiters.filter((w) => {
					if (this.received.length >= w.n) w.resolve();
					return this.received.length < w.n;
				});
			});
		});
		await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', () => r()));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/kaltura/webhook`;
	}
	waitFor(n: number, timeoutMs = 3000): Promise<void> {
		if (this.received.length >= n) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const t = setTimeout(() => reject(new Error(`only ${this.received.length}/${n} notifications arrived`)), timeoutMs);
			this.waiters.push({
				n,
				resolve: () => {
					clearTimeout(t);
					resolve();
				}
			});
		});
	}
	reset(statuses: number[] = [200]): void {
		this.received.length = 0;
		this.statuses = statuses;
	}
	async stop(): Promise<void> {
		await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
	}
}

/** What a receiver must do: hex(HASH(adminSecret + raw body)), algorithm from X-KALTURA-HASH-ALGO (default sha1). */
function verify(r: Received, secret: string): boolean {
	const algo = String(r.headers['x-kaltura-hash-algo'] ?? 'sha1');
	if (!['sha1', 'sha256', 'sha512'].includes(algo)) return false;
	const expected = createHash(algo)
		.update(Buffer.concat([Buffer.from(secret), r.raw]))
		.digest('hex');
	return String(r.headers['x-kaltura-signature'] ?? '').toLowerCase() === expected;
}

describe('Kaltura stand-in: HTTP notifications', function () {
	let k: KalturaStandIn;
	const hook = new Receiver();
	let entryId = '';

	before(async function () {
		k = await KalturaStandIn.start({
			partnerId: PID,
			adminSecret: SECRET,
			conversionDelayMs: 10,
			notifications: { retryIntervalMs: 50, attempts: 3, timeoutMs: 1000 }
		});
		await hook.start();
		entryId = k.state.addEntry({ name: 'Recording', userId: 'discord_9', status: 1, referenceId: 'guild-1' }).id as string;
	});
	after(async function () {
		await k.stop();
		await hook.stop();
	});
	beforeEach(function () {
		hook.reset();
	});

	for (const algo of ['sha1', 'sha256', 'sha512'] as const) {
		it(`GIVEN an entry-ready notification signed with ${algo} THEN the receiver verifies X-KALTURA-SIGNATURE over the raw body`, async function () {
			const result = await k.notifications.sendEvent({
				url: hook.url,
				event: 'entryReady',
				object: entryId,
				algo,
				template: { id: 9001, name: 'Entry ready', systemName: 'BOT_ENTRY_READY' }
			});
			expect(result.delivered).to.equal(true);
			expect(result.statuses).to.deep.equal([200]);
			const r = hook.received[0]!;
			expect(r.method).to.equal('POST');
			expect(r.headers['content-type']).to.equal('application/json');
			expect(r.headers['x-kaltura-hash-algo']).to.equal(algo);
			expect(r.headers['user-agent']).to.contain('Firefox/3.0.6');
			expect(verify(r, SECRET)).to.equal(true);
			expect(verify(r, 'some-other-secret')).to.equal(false);
			const body = JSON.parse(r.raw.toString('utf8'));
			expect(body).to.include({
				objectType: 'KalturaHttpNotification',
				eventType: 3,
				eventObjectType: 1,
				templateId: 9001,
				templateName: 'Entry ready',
				templateSystemName: 'BOT_ENTRY_READY'
			});
			expect(body.eventNotificationJobId).to.be.a('number');
			expect(body.object).to.include({ id: entryId, status: 2, objectType: 'KalturaMediaEntry', referenceId: 'guild-1' });
		});
	}

	it('GIVEN an old server without X-KALTURA-HASH-ALGO THEN the signature is SHA-1', async function () {
		await k.notifications.sendEvent({ url: hook.url, event: 'entryAdded', object: entryId, algo: 'sha1', sendAlgoHeader: false });
		const r = hook.received[0]!;
		expect(r.headers['x-kaltura-hash-algo']).to.equal(undefined);
		expect(r.headers['x-kaltura-signature']).to.equal(
			createHash('sha1')
				.update(SECRET + r.raw.toString('utf8'))
				.digest('hex')
		);
	});

	it('GIVEN the receiver answers 500 then 200 THEN Kaltura retries once with the same job id and stops', async function () {
		hook.reset([500, 200]);
		const result = await k.notifications.sendEvent({
			url: hook.url,
			event: 'liveStreamStarted',
			object: { id: '1_live', name: 'Live', objectType: 'KalturaLiveStreamEntry' }
		});
		expect(result.delivered).to.equal(true);
		expect(result.statuses).to.deep.equal([500, 200]);
		expect(hook.received).to.have.length(2);
		expect(hook.received[0]!.raw.equals(hook.received[1]!.raw)).to.equal(true);
		expect(JSON.parse(hook.received[1]!.raw.toString()).object.liveStatus).to.equal(1);
		expect(hook.received[1]!.at - hook.received[0]!.at).to.be.at.least(45);
	});

	it('GIVEN 201 and 503 answers THEN they count as failures and delivery stops after the configured attempts', async function () {
		hook.reset([201, 503, 503, 200]);
		const result = await k.notifications.sendEvent({ url: hook.url, event: 'entryDeleted', object: entryId, attempts: 3 });
		expect(result.delivered).to.equal(false);
		expect(result.statuses).to.deep.equal([201, 503, 503]);
		expect(hook.received).to.have.length(3);
	});

	it('GIVEN 204 THEN it is a success', async function () {
		hook.reset([204]);
		const result = await k.notifications.sendEvent({
			url: hook.url,
			event: 'userCreated',
			object: { id: 'discord_9', objectType: 'KalturaUser' }
		});
		expect(result).to.include({ delivered: true });
		expect(JSON.parse(hook.received[0]!.raw.toString())).to.include({ eventType: 5, eventObjectType: 8 });
	});

	it('GIVEN nobody listening THEN the network error is recorded and retried', async function () {
		const result = await k.notifications.send({ url: 'http://127.0.0.1:9/closed', payload: { a: 1 }, attempts: 2 });
		expect(result.delivered).to.equal(false);
		expect(result.attempts).to.have.length(2);
		expect(result.attempts[0]!.error).to.be.a('string');
		expect(result.statuses).to.deep.equal([undefined, undefined]);
	});

	it('GIVEN a GET template THEN the query string is what is signed', async function () {
		await k.notifications.send({ url: hook.url, method: 'GET', body: 'entry_id=0_abc&entry_status=2', algo: 'sha256' });
		const r = hook.received[0]!;
		expect(r.method).to.equal('GET');
		expect(r.url).to.equal('/kaltura/webhook?entry_id=0_abc&entry_status=2');
		expect(r.headers['x-kaltura-signature']).to.equal(createHash('sha256').update(`${SECRET}entry_id=0_abc&entry_status=2`).digest('hex'));
	});

	it('GIVEN fields format THEN the body is the form-encoded content parameters', async function () {
		await k.notifications.sendEvent({ url: hook.url, event: 'entryReady', object: entryId, format: 'fields' });
		const r = hook.received[0]!;
		expect(r.headers['content-type']).to.equal('application/x-www-form-urlencoded');
		expect(Object.fromEntries(new URLSearchParams(r.raw.toString()))).to.deep.equal({
			entry_id: entryId,
			entry_name: 'Recording',
			entry_status: '2',
			entry_reference_id: 'guild-1'
		});
		expect(verify(r, SECRET)).to.equal(true);
	});

	describe('template-driven dispatch', function () {
		let admin: KalturaClient;
		before(async function () {
			admin = createKalturaClient(k.serviceUrl, { ks: k.mintKs({ userId: 'bot' }) });
		});

		it('GIVEN a cloned and active HTTP_ENTRY_STATUS_EQUALS template WHEN an entry becomes READY THEN a signed JSON notification arrives', async function () {
			const stock = await kaltura.services.eventNotificationTemplate
				.listTemplates(new kaltura.objects.EventNotificationTemplateFilter({ systemNameEqual: 'HTTP_ENTRY_STATUS_EQUALS' }))
				.execute(admin);
			const tpl = await kaltura.services.eventNotificationTemplate
				.cloneAction(
					stock.objects[0].id,
					new kaltura.objects.HttpNotificationTemplate({
						systemName: 'BOT_ENTRY_READY',
						name: 'Bot entry ready',
						url: hook.url,
						secureHashingAlgo: 2,
						data: new kaltura.objects.HttpNotificationObjectData({
							apiObjectType: 'KalturaMediaEntry',
							format: 1,
							code: '$scope->getObject()'
						})
					})
				)
				.execute(admin);
			await kaltura.services.eventNotificationTemplate.updateStatus(tpl.id, 2).execute(admin);

			const entry = await kaltura.services.media
				.addFromUrl(new kaltura.objects.MediaEntry({ name: 'Lecture 1', mediaType: 1 }), 'https://example.com/l1.mp4')
				.execute(admin);
			await hook.waitFor(1);
			const r = hook.received[0]!;
			expect(r.headers['x-kaltura-hash-algo']).to.equal('sha256');
			expect(verify(r, SECRET)).to.equal(true);
			const body = JSON.parse(r.raw.toString());
			expect(body).to.include({
				objectType: 'KalturaHttpNotification',
				templateId: tpl.id,
				templateSystemName: 'BOT_ENTRY_READY',
				eventType: 3,
				eventObjectType: 1
			});
			expect(body.object).to.include({ id: entry.id, status: 2, objectType: 'KalturaMediaEntry' });
			await k.notifications.idle();
			expect(hook.received).to.have.length(1);

			// disabled template: nothing more is sent
			await kaltura.services.eventNotificationTemplate.updateStatus(tpl.id, 1).execute(admin);
			k.state.setEntryStatus(entry.id, 1);
			k.state.setEntryStatus(entry.id, 2);
			await new Promise((res) => setTimeout(res, 50));
			await k.notifications.idle();
			expect(hook.received).to.have.length(1);
		});

		it('GIVEN eventNotificationTemplate.dispatch on a template without manual dispatch THEN EVENT_NOTIFICATION_DISPATCH_DISABLED', async function () {
			const stock = await kaltura.services.eventNotificationTemplate.listTemplates().execute(admin);
			const tpl = await kaltura.services.eventNotificationTemplate
				.cloneAction(
					stock.objects[0].id,
					new kaltura.objects.HttpNotificationTemplate({
						systemName: 'BOT_MANUAL',
						url: hook.url
					})
				)
				.execute(admin);
			try {
				await kaltura.services.eventNotificationTemplate
					.dispatch(tpl.id, new kaltura.objects.HttpNotificationDispatchJobData({}))
					.execute(admin);
				expect.fail('dispatch should be refused');
			} catch (e) {
				expect((e as { code: string }).code).to.equal('EVENT_NOTIFICATION_DISPATCH_DISABLED');
			}
			// manualDispatchEnabled is the Admin Console's to change (a partner's update of it is dropped): partner -2 acting on the partner
			const adminConsole = createKalturaClient(k.serviceUrl, { ks: k.adminConsoleKs() });
			adminConsole.setPartnerId(k.partnerId);
			await kaltura.services.eventNotificationTemplate
				.update(tpl.id, new kaltura.objects.HttpNotificationTemplate({ manualDispatchEnabled: true }))
				.execute(adminConsole);
			const jobId = await kaltura.services.eventNotificationTemplate
				.dispatch(tpl.id, new kaltura.objects.HttpNotificationDispatchJobData({}))
				.execute(admin);
			expect(jobId).to.be.a('number');
			await hook.waitFor(1);
			expect(hook.received[0]!.raw.length).to.equal(0); // a template without data sends an empty body
			expect(hook.received[0]!.headers['x-kaltura-signature']).to.equal(createHash('sha1').update(SECRET).digest('hex'));
		});
	});
});
