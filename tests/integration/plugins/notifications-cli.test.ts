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
import { normaliseNotification } from '../../../plugins/notifications/lib/normalise.js';
import {
	CLONE_MARKER,
	CLONE_SUFFIX,
	formatSummary,
	SetUpError,
	setUpKalturaWebhooks,
	WEBHOOK_TEMPLATES
} from '../../../plugins/notifications/cli/set-up-webhooks.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { signKalturaPayload } from '../../harness/kaltura/notification-sender.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const PARTNER_ID = 7171;
const ADMIN_SECRET = 'cli-test-admin-secret-0123456789';
const URL_A = 'https://bot.example/api/v1/webhooks/kaltura';
const URL_B = 'https://bot2.example/api/v1/webhooks/kaltura';
/** The stock templates of the table that the stand-in offers (the others are reported as not offered). */
const OFFERED = ['HTTP_ENTRY_STATUS_EQUALS', 'HTTP_ENTRY_ADDED_TO_CATEGORY', 'USER_CREATED'];
const CLONES = OFFERED.map((name) => `${name}${CLONE_SUFFIX}`);
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

	/** The partner's own (cloned) templates, by system name. */
	const clones = (): Map<string, Template> =>
		new Map(
			[...kaltura.state.templates.values()]
				.filter((template) => template.partnerId === PARTNER_ID && template.status !== 3)
				.map((template) => [String(template.systemName), template as unknown as Template])
		);
	const writes = () => ['clone', 'update', 'updateStatus'].reduce((sum, action) => sum + kaltura.stats.count(SERVICE, action), 0);

	before(async () => {
		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET });
		const account: KalturaAccount = { serviceUrl: kaltura.serviceUrl, partnerId: PARTNER_ID, timeoutMs: 5000 };
		facade = new KalturaFacade(account, new SessionCache(new LocalKsSource({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET })));
	});

	after(async () => {
		await kaltura?.stop();
		rmSync(CLI_DIRECTORY, { recursive: true, force: true });
	});

	it('GIVEN a dry run THEN it reports the clones it would make and changes nothing', async () => {
		const summary = await setUpKalturaWebhooks(facade, { url: URL_A, dryRun: true });
		expect(summary.templates.map((template) => [template.systemName, template.actions])).to.deep.equal(CLONES.map((name) => [name, ['cloned', 'enabled']]));
		expect(writes()).to.equal(0);
		expect(clones().size).to.equal(0);
	});

	it('GIVEN a first run THEN each offered stock template is cloned, pointed at the URL with the hash, sending JSON objects, and ACTIVE', async () => {
		const summary = await setUpKalturaWebhooks(facade, { url: URL_A, hash: 'sha256' });
		expect(summary.templates.map((template) => template.systemName)).to.deep.equal(CLONES);
		expect(summary.templates.every((template) => template.actions.includes('cloned') && !template.actions.includes('updated'))).to.equal(true);
		expect(summary.notOffered.map((template) => template.systemName)).to.deep.equal(
			WEBHOOK_TEMPLATES.map((template) => template.systemName).filter((name) => !OFFERED.includes(name))
		);
		const made = clones();
		expect([...made.keys()].sort()).to.deep.equal([...CLONES].sort());
		for (const spec of WEBHOOK_TEMPLATES.filter((template) => OFFERED.includes(template.systemName))) {
			const template = made.get(`${spec.systemName}${CLONE_SUFFIX}`)!;
			expect(template).to.include({ url: URL_A, secureHashingAlgo: 2, status: 2 });
			expect(template.description.startsWith(CLONE_MARKER)).to.equal(true);
			expect(template.data).to.include({ objectType: 'KalturaHttpNotificationObjectData', apiObjectType: spec.apiObjectType });
		}
		expect(formatSummary(summary)).to.include('cloned: 3 (').and.include('already set up: 0').and.include('not offered by this Kaltura: 4');
	});

	it('GIVEN the set-up done THEN Kaltura sends the plugin an event it can classify, signed with that hash', async () => {
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
		try {
			await setUpKalturaWebhooks(facade, { url: local, hash: 'sha256' });
			kaltura.state.addUser({ id: 'new-member' });
			const deadline = Date.now() + 5000;
			while (received.length === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
			const [first] = received;
			expect(first, 'a notification').to.not.equal(undefined);
			expect(first!.headers['x-kaltura-signature']).to.equal(signKalturaPayload(ADMIN_SECRET, first!.body, 'sha256'));
			expect(normaliseNotification(JSON.parse(first!.body) as Record<string, unknown>).type).to.equal('user.created');
		} finally {
			await new Promise((done) => server.close(done));
			await setUpKalturaWebhooks(facade, { url: URL_A, hash: 'sha256' });
		}
	});

	it('GIVEN a second run with the same options THEN nothing changes', async () => {
		const before = writes();
		const snapshot = JSON.stringify([...clones()]);
		const summary = await setUpKalturaWebhooks(facade, { url: URL_A, hash: 'sha256' });
		expect(summary.templates.map((template) => template.actions)).to.deep.equal(CLONES.map(() => []));
		expect(writes()).to.equal(before);
		expect(JSON.stringify([...clones()])).to.equal(snapshot);
		expect(formatSummary(summary)).to.include('cloned: 0').and.include('already set up: 3');
	});

	it('GIVEN another URL, or a clone disabled in the KMC THEN the same clones are updated and re-enabled, none added', async () => {
		const disabled = clones().get(CLONES[0]!)!;
		disabled.status = 1;
		const summary = await setUpKalturaWebhooks(facade, { url: URL_B, hash: 'sha512' });
		expect(summary.templates.map((template) => template.actions)).to.deep.equal([['updated', 'enabled'], ['updated'], ['updated']]);
		const made = clones();
		expect(made.size).to.equal(3);
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

		it('GIVEN the bot environment and a new URL THEN it updates the clones, prints the summary and exits 0', async () => {
			const result = await runCli(['--url', URL_A, '--hash', 'sha256'], env());
			expect(result.code, result.stderr).to.equal(0);
			expect(result.stdout).to.include(`Kaltura webhooks → ${URL_A} (sha256)`);
			expect(result.stdout).to.include('cloned: 0').and.include('updated: 3').and.include('already set up: 0');
			for (const template of clones().values()) expect(template).to.include({ url: URL_A, secureHashingAlgo: 2 });
			const again = await runCli(['--url', URL_A, '--hash', 'sha256'], env());
			expect(again.code).to.equal(0);
			expect(again.stdout).to.include('already set up: 3').and.include('updated: 0');
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
});
