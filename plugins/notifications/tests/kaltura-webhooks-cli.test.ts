import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { KalturaFacade } from '../../../src/core/kaltura/kaltura-facade.js';
import type { KalturaAccount } from '../../../src/core/kaltura/ks-sources.js';
import { LocalKsSource } from '../../../src/core/kaltura/ks-sources.js';
import { SessionCache } from '../../../src/core/kaltura/session-cache.js';
import { normaliseNotification } from '../lib/normalise.js';
import {
	adminConsoleDefinition,
	CLONE_MARKER,
	formatSummary,
	ownSystemName,
	SetUpError,
	setUpKalturaWebhooks,
	WEBHOOK_TEMPLATES
} from '../cli/set-up-webhooks.js';
import { createKalturaClient, kaltura as kalturaClient, KalturaStandIn } from '../../../tests/harness/kaltura/index.js';
import { signKalturaPayload } from '../../../tests/harness/kaltura/notification-sender.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const PARTNER_ID = 7171;
const ADMIN_SECRET = 'cli-test-admin-secret-0123456789';
const URL_A = 'https://bot.example/api/v1/webhooks/kaltura';
const URL_B = 'https://bot2.example/api/v1/webhooks/kaltura';
/** The partner's template for each row of the table, cloned from Kaltura's stock one or from one its administrator added (own). */
const ALL = WEBHOOK_TEMPLATES.map(ownSystemName);
const CLONES = WEBHOOK_TEMPLATES.filter((spec) => spec.source === 'stock').map(ownSystemName);
const OWN = WEBHOOK_TEMPLATES.filter((spec) => spec.source === 'own').map(ownSystemName);
const SERVICE = 'eventnotification_eventnotificationtemplate';
const CLI_DIRECTORY = mkdtempSync(join(tmpdir(), 'kaltura-webhooks-cli-'));

interface Template {
	id: number;
	systemName: string;
	description: string;
	url: string;
	status: number;
	secureHashingAlgo: number;
	data?: { objectType?: string; apiObjectType?: string; format?: number };
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((done, fail) => {
		// Run from an empty directory, so a developer's .env cannot fill in what a case leaves out.
		const child = spawn(TSX, [join(PROJECT_ROOT, 'plugins', 'notifications', 'cli', 'kaltura-webhooks.ts'), ...args], {
			cwd: CLI_DIRECTORY,
			env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.once('error', fail);
		child.once('exit', (code) => done({ code, stdout, stderr }));
	});
}

describe('notifications plugin: kaltura:webhooks set-up CLI against the Kaltura stand-in', function () {
	this.timeout(30_000);

	let kaltura: KalturaStandIn;
	let facade: KalturaFacade;

	/** The partner's own templates, by system name. */
	const clones = (): Map<string, Template> =>
		new Map(
			[...kaltura.state.templates.values()]
				.filter((template) => template.partnerId === PARTNER_ID && template.status !== 3)
				.map((template) => [String(template.systemName), template as unknown as Template])
		);
	const writes = () => ['add', 'clone', 'update', 'updateStatus'].reduce((sum, action) => sum + kaltura.stats.count(SERVICE, action), 0);

	before(async () => {
		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET });
		// Kaltura's administrator adds the bot's own templates to partner 0 from the Admin Console (partner -2).
		const adminConsole = createKalturaClient(kaltura.serviceUrl);
		adminConsole.setKs(kaltura.adminConsoleKs());
		for (const spec of WEBHOOK_TEMPLATES) {
			if (spec.source === 'own')
				await kalturaClient.services.eventNotificationTemplate!.add!(adminConsoleDefinition(spec)).execute(adminConsole);
		}
		kaltura.stats.reset();
		const account: KalturaAccount = { serviceUrl: kaltura.serviceUrl, partnerId: PARTNER_ID, timeoutMs: 5000 };
		facade = new KalturaFacade(account, new SessionCache(new LocalKsSource({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET })));
	});

	after(async () => {
		await kaltura?.stop();
		rmSync(CLI_DIRECTORY, { recursive: true, force: true });
	});

	it('GIVEN a dry run THEN it reports the templates it would clone and changes nothing', async () => {
		const summary = await setUpKalturaWebhooks(facade, { url: URL_A, dryRun: true });
		expect(summary.templates.map((template) => [template.systemName, template.actions])).to.deep.equal(
			WEBHOOK_TEMPLATES.map((spec) => [ownSystemName(spec), ['cloned', 'enabled']])
		);
		expect(writes()).to.equal(0);
		expect(clones().size).to.equal(0);
	});

	it('GIVEN a first run THEN every event gets a template, cloned from partner 0 (never added); all pointed at the URL with the hash, sending JSON objects, and ACTIVE', async () => {
		const summary = await setUpKalturaWebhooks(facade, { url: URL_A, hash: 'sha256' });
		expect(summary.templates.map((template) => template.systemName)).to.deep.equal(ALL);
		// Kaltura's stock templates are DISABLED, and so are their clones; the administrator's are ACTIVE when added
		expect(summary.templates.map((template) => template.actions)).to.deep.equal(
			WEBHOOK_TEMPLATES.map((spec) => (spec.source === 'stock' ? ['cloned', 'enabled'] : ['cloned']))
		);
		expect(summary.notOffered).to.deep.equal([]);
		expect(kaltura.stats.count(SERVICE, 'add')).to.equal(0);
		const made = clones();
		expect([...made.keys()].sort()).to.deep.equal([...ALL].sort());
		for (const spec of WEBHOOK_TEMPLATES) {
			const template = made.get(ownSystemName(spec))!;
			expect(template).to.include({ url: URL_A, secureHashingAlgo: 2, status: 2 });
			expect(template.description.startsWith(CLONE_MARKER)).to.equal(true);
			expect(template.data).to.include({ objectType: 'KalturaHttpNotificationObjectData', apiObjectType: spec.apiObjectType });
			if (spec.source === 'own') expect(template).to.include({ eventType: Number(spec.eventType), eventObjectType: spec.eventObjectType });
		}
		const covered = new Set(WEBHOOK_TEMPLATES.flatMap((spec) => spec.types));
		expect([...covered].sort()).to.deep.equal(
			[
				'entry.ready',
				'recording.ready',
				'entry.added',
				'entry.added_to_category',
				'live_stream.started',
				'live_stream.ended',
				'meeting.scheduled',
				'meeting.cancelled',
				'user.created'
			].sort()
		);
		expect(formatSummary(summary))
			.to.include(`cloned: ${ALL.length} (`)
			.and.include('already set up: 0')
			.and.include('not offered by this Kaltura: 0');
	});

	it('GIVEN eventNotificationTemplate.add from the Admin Console without a name, or of the abstract class THEN Kaltura-shaped validation errors', async () => {
		const client = createKalturaClient(kaltura.serviceUrl);
		client.setKs(kaltura.adminConsoleKs());
		const refusal = async (template: object) => {
			try {
				await kalturaClient.services.eventNotificationTemplate!.add!(template).execute(client);
			} catch (error) {
				return error as { code: string; message: string; objectType: string };
			}
			throw new Error('expected a refusal');
		};
		const noName = await refusal(new kalturaClient.objects.HttpNotificationTemplate!({ eventType: '2', eventObjectType: '1', url: URL_A }));
		expect(noName).to.include({ objectType: 'KalturaAPIException', code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL' });
		expect(noName.message).to.include('KalturaHttpNotificationTemplate::name');
		const abstract = await refusal(new kalturaClient.objects.EventNotificationTemplate!({ name: 'x', eventType: '2', eventObjectType: '1' }));
		expect(abstract).to.include({ code: 'OBJECT_TYPE_ABSTRACT' });
	});

	it('GIVEN the set-up done THEN Kaltura sends the plugin each event, stock or own template alike, signed with that hash', async () => {
		const received: { headers: IncomingHttpHeaders; body: string }[] = [];
		const server: Server = createServer((request, response) => {
			let body = '';
			request.on('data', (chunk: Buffer) => (body += chunk.toString()));
			request.on('end', () => {
				received.push({ headers: request.headers, body });
				response.writeHead(200).end();
			});
		});
		await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
		const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/webhooks/kaltura`;
		const types = () =>
			new Set(received.map((notification) => normaliseNotification(JSON.parse(notification.body) as Record<string, unknown>).type));
		const waitFor = async (type: string) => {
			const deadline = Date.now() + 5000;
			while (!types().has(type as never) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
			expect([...types()], type).to.include(type);
		};
		try {
			await setUpKalturaWebhooks(facade, { url: local, hash: 'sha256' });
			const client = createKalturaClient(kaltura.serviceUrl);
			client.setKs(kaltura.mintKs());
			kaltura.state.addUser({ id: 'new-member' });
			await waitFor('user.created');
			kaltura.state.addEntry({ name: 'Upload' });
			await waitFor('entry.added');
			const live = kaltura.state.addLiveStream({ name: 'Town hall' });
			kaltura.state.setLiveStatus(String(live.id), 1);
			await waitFor('live_stream.started');
			kaltura.state.setLiveStatus(String(live.id), 0);
			await waitFor('live_stream.ended');
			const meeting = kaltura.state.addScheduleEvent({
				summary: 'Stand-up',
				startDate: kaltura.state.now() + 3600,
				endDate: kaltura.state.now() + 5400
			});
			await waitFor('meeting.scheduled');
			await kalturaClient.services.scheduleEvent!.cancel!(meeting.id).execute(client);
			await waitFor('meeting.cancelled');
			const cancelled = received.length;
			const other = kaltura.state.addScheduleEvent({
				summary: 'Retro',
				startDate: kaltura.state.now() + 3600,
				endDate: kaltura.state.now() + 5400
			});
			await kalturaClient.services.scheduleEvent!.deleteAction!(other.id).execute(client);
			const deadline = Date.now() + 5000;
			while (received.length < cancelled + 2 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
			expect(
				received.slice(cancelled).map((notification) => normaliseNotification(JSON.parse(notification.body) as Record<string, unknown>).type)
			)
				// Kaltura posts each notification from its own batch job, so two events close together may arrive in either order.
				.to.have.members(['meeting.scheduled', 'meeting.cancelled']);
			for (const notification of received) {
				expect(notification.headers['x-kaltura-signature']).to.equal(signKalturaPayload(ADMIN_SECRET, notification.body, 'sha256'));
			}
		} finally {
			await new Promise((done) => server.close(done));
			await setUpKalturaWebhooks(facade, { url: URL_A, hash: 'sha256' });
		}
	});

	it('GIVEN a second run with the same options THEN nothing changes', async () => {
		const before = writes();
		const snapshot = JSON.stringify([...clones()]);
		const summary = await setUpKalturaWebhooks(facade, { url: URL_A, hash: 'sha256' });
		expect(summary.templates.map((template) => template.actions)).to.deep.equal(ALL.map(() => []));
		expect(writes()).to.equal(before);
		expect(JSON.stringify([...clones()])).to.equal(snapshot);
		expect(formatSummary(summary)).to.include('cloned: 0').and.include(`already set up: ${ALL.length}`);
	});

	it('GIVEN another URL, or a template disabled in the KMC THEN the same templates are updated and re-enabled, none added', async () => {
		clones().get(CLONES[0]!)!.status = 1;
		clones().get(OWN[0]!)!.status = 1;
		const summary = await setUpKalturaWebhooks(facade, { url: URL_B, hash: 'sha512' });
		expect(summary.templates.map((template) => template.actions)).to.deep.equal(
			ALL.map((name) => (name === CLONES[0] || name === OWN[0] ? ['updated', 'enabled'] : ['updated']))
		);
		const made = clones();
		expect(made.size).to.equal(ALL.length);
		for (const template of made.values()) expect(template).to.include({ url: URL_B, secureHashingAlgo: 3, status: 2 });
	});

	it('GIVEN a URL that is not http(s) THEN it is refused before anything is asked of Kaltura', async () => {
		const calls = kaltura.stats.count(SERVICE);
		for (const url of ['ftp://bot.example/hook', 'not a url', 'javascript:alert(1)']) {
			let failure: unknown;
			try {
				await setUpKalturaWebhooks(facade, { url });
			} catch (error) {
				failure = error;
			}
			expect(failure, url).to.be.instanceOf(SetUpError);
			expect((failure as Error).message).to.match(/^--url must be an (absolute )?http\(s\) URL/);
		}
		expect(kaltura.stats.count(SERVICE)).to.equal(calls);
	});

	describe('as a process (tsx plugins/notifications/cli/kaltura-webhooks.ts)', () => {
		const env = () => ({
			DISCORD_TOKEN: 'cli-test-discord-token',
			JWT_SECRET: 'cli-test-jwt-secret-that-is-long-enough-for-hs256',
			KALTURA_PARTNER_ID: String(PARTNER_ID),
			KALTURA_ADMIN_SECRET: ADMIN_SECRET,
			KALTURA_SERVICE_URL: kaltura.serviceUrl
		});

		it('GIVEN --admin-templates THEN, without any environment, it prints the add requests with which the Admin Console puts the own templates in partner 0', async () => {
			const result = await runCli(['--admin-templates'], {});
			expect(result.code, result.stderr).to.equal(0);
			const fresh = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET });
			try {
				const adminConsoleKs = fresh.adminConsoleKs();
				for (const line of result.stdout.trim().split('\n')) {
					const response = await fetch(`${fresh.serviceUrl}/api_v3/service/eventnotification_eventnotificationtemplate/action/add`, {
						method: 'POST',
						headers: { 'Content-Type': 'application/json' },
						body: JSON.stringify({ ...(JSON.parse(line) as object), ks: adminConsoleKs })
					});
					expect(await response.json()).to.include({ partnerId: 0, status: 2 });
				}
				const offered = [...fresh.state.templates.values()]
					.filter((template) => template.partnerId === 0)
					.map((template) => String(template.systemName));
				expect(offered).to.include.members(OWN);
			} finally {
				await fresh.stop();
			}
		});

		it('GIVEN the bot environment and a new URL THEN it updates the templates, prints the summary and exits 0', async () => {
			const result = await runCli(['--url', URL_A, '--hash', 'sha256'], env());
			expect(result.code, result.stderr).to.equal(0);
			expect(result.stdout).to.include(`Kaltura webhooks → ${URL_A} (sha256)`);
			expect(result.stdout).to.include('cloned: 0').and.include(`updated: ${ALL.length}`).and.include('already set up: 0');
			for (const template of clones().values()) expect(template).to.include({ url: URL_A, secureHashingAlgo: 2 });
			const again = await runCli(['--url', URL_A, '--hash', 'sha256'], env());
			expect(again.code).to.equal(0);
			expect(again.stdout).to.include(`already set up: ${ALL.length}`).and.include('updated: 0');
		});

		it('GIVEN no --hash THEN the templates get KALTURA_WEBHOOK_HASH; a --hash that differs from it is refused before Kaltura is asked', async () => {
			const pinned = await runCli(['--url', URL_B], { ...env(), KALTURA_WEBHOOK_HASH: 'sha512' });
			expect(pinned.code, pinned.stderr).to.equal(0);
			expect(pinned.stdout).to.include(`Kaltura webhooks → ${URL_B} (sha512)`);
			for (const template of clones().values()) expect(template).to.include({ url: URL_B, secureHashingAlgo: 3 });
			const calls = kaltura.stats.count(SERVICE);
			const mismatch = await runCli(['--url', URL_A, '--hash', 'sha1'], env());
			expect(mismatch.code).to.equal(1);
			expect(mismatch.stderr).to.include('--hash sha1 differs from the bot’s KALTURA_WEBHOOK_HASH (sha256)'.replace('’', "'"));
			expect(kaltura.stats.count(SERVICE)).to.equal(calls);
			for (const template of clones().values()) expect(template).to.include({ url: URL_B, secureHashingAlgo: 3 });
		});

		it('GIVEN a bad URL or no admin secret THEN one clear error and exit code 1', async () => {
			const badUrl = await runCli(['--url', 'ftp://bot.example/hook'], env());
			expect(badUrl.code).to.equal(1);
			expect(badUrl.stderr.trim()).to.match(/^--url must be an http\(s\) URL/);
			const { KALTURA_ADMIN_SECRET: _secret, ...withoutSecret } = env();
			const noSecret = await runCli(['--url', URL_A], withoutSecret);
			expect(noSecret.code).to.equal(1);
			expect(noSecret.stderr).to.include('KALTURA_ADMIN_SECRET is required');
			expect(noSecret.stdout).to.equal('');
		});
	});

	describe('on a Kaltura whose administrator has not added the bot’s own templates', () => {
		let hosted: KalturaStandIn;
		let hostedFacade: KalturaFacade;

		before(async () => {
			hosted = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET });
			const account: KalturaAccount = { serviceUrl: hosted.serviceUrl, partnerId: PARTNER_ID, timeoutMs: 5000 };
			hostedFacade = new KalturaFacade(account, new SessionCache(new LocalKsSource({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET })));
		});

		after(async () => {
			await hosted?.stop();
		});

		it('GIVEN only the stock templates THEN those are cloned, the events left out are named, and add is never tried', async () => {
			const summary = await setUpKalturaWebhooks(hostedFacade, { url: URL_A, hash: 'sha256' });
			expect(summary.templates.map((template) => template.systemName)).to.deep.equal(CLONES);
			expect(summary.notOffered.map((template) => template.systemName)).to.deep.equal(OWN);
			const made = [...hosted.state.templates.values()].filter((template) => template.partnerId === PARTNER_ID);
			expect(made.map((template) => template.systemName).sort()).to.deep.equal([...CLONES].sort());
			expect(hosted.stats.count(SERVICE, 'add')).to.equal(0);
			expect(formatSummary(summary)).to.include(`not offered by this Kaltura: ${OWN.length} (`).and.include('Admin Console (partner -2)');
		});
	});
});
