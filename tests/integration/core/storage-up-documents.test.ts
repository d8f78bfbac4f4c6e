import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from '@sapphire/framework';
import { expect } from 'chai';
import type { AuditStore } from '../../../src/core/audit/audit-store.js';
import { AUDIT_SQLITE_FILE, DocumentAuditLog } from '../../../src/core/audit/document-audit-log.js';
import { SqliteAuditStore } from '../../../src/core/audit/sqlite-audit-store.js';
import { createLogger } from '../../../src/core/logger.js';
import { SecretRedactor } from '../../../src/core/redactor.js';
import { parseExposition, valueOf } from '../../helpers/metrics-text.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { CapturedLog, prepareTestBot, PROJECT_PLUGINS, type TestBot } from '../../helpers/test-bot.js';

const GUILD = '100000000000000001';
const ADMIN = '300000000000000001';

/** A directory of its own under the system's temporary one. */
const freshDirectory = () => mkdtempSync(join(tmpdir(), 'kaltura-discord-storage-up-'));

/** A TCP server that takes connections and never answers: a MongoDB that hangs. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
	const sockets = new Set<Socket>();
	const server: Server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('the silent server has no port');
	return {
		port: address.port,
		close: () => {
			for (const socket of sockets) socket.destroy();
			return new Promise((closed) => server.close(() => closed()));
		}
	};
}

describe('storage_up{store="documents"}: whether the audit log’s document store answers, on /metrics', function () {
	this.timeout(30_000);
	let recorder: RestRecorder;
	let bot: TestBot | undefined;

	before(async () => {
		recorder = await new RestRecorder().start();
	});

	afterEach(async () => {
		await bot?.stop();
		bot = undefined;
	});

	after(async () => {
		await recorder?.stop();
	});

	/** A bot with the metrics plugin running, on `env` (DATA_DIR, MONGODB_URL). */
	const botWith = async (env: Record<string, string>) => {
		bot = await prepareTestBot(recorder, { ...PROJECT_PLUGINS, env });
		await bot.pluginLifecycle.startAll();
		return bot;
	};

	/** The gauge's documents value (undefined when the series is missing) and how long the scrape took, in ms. */
	const scrape = async (running: TestBot) => {
		const started = performance.now();
		const response = await fetch(`${running.apiUrl()}/metrics`);
		expect(response.status).to.equal(200);
		const samples = parseExposition(await response.text()).filter((sample) => sample.name === 'kaltura_bot_storage_up');
		const documents = samples.find((sample) => sample.labels.store === 'documents');
		return { documents: documents?.value, keyv: valueOf(samples, 'kaltura_bot_storage_up', { store: 'keyv' }), ms: performance.now() - started };
	};

	it('GIVEN no admin has acted (no SQLite file) and DATA_DIR is writable THEN 1, without creating the file; DATA_DIR gone THEN 0', async () => {
		const dataDirectory = freshDirectory();
		const running = await botWith({ DATA_DIR: dataDirectory });
		expect(await scrape(running)).to.include({ documents: 1, keyv: 1 });
		expect(existsSync(join(dataDirectory, AUDIT_SQLITE_FILE)), 'the scrape created the audit file').to.equal(false);
		rmSync(dataDirectory, { recursive: true, force: true });
		expect((await scrape(running)).documents).to.equal(0);
		expect(existsSync(join(dataDirectory, AUDIT_SQLITE_FILE))).to.equal(false);
	});

	it('GIVEN the SQLite file exists THEN 1 (its SELECT 1 answers); the audit log closed THEN 0', async () => {
		const dataDirectory = freshDirectory();
		const running = await botWith({ DATA_DIR: dataDirectory });
		await container.audit.record({ guildId: GUILD, actorId: ADMIN, source: 'command', action: 'config.set', target: 'videos.enabled' });
		expect(existsSync(join(dataDirectory, AUDIT_SQLITE_FILE))).to.equal(true);
		expect((await scrape(running)).documents).to.equal(1);
		const { audit } = container;
		if (!(audit instanceof DocumentAuditLog)) throw new Error('the bot runs another audit log');
		await audit.close();
		expect((await scrape(running)).documents).to.equal(0);
	});

	it('GIVEN DATA_DIR does not exist THEN 0; once it is made THEN 1', async () => {
		const dataDirectory = join(freshDirectory(), 'not-yet');
		const running = await botWith({ DATA_DIR: dataDirectory });
		expect((await scrape(running)).documents).to.equal(0);
		mkdirSync(dataDirectory);
		expect((await scrape(running)).documents).to.equal(1);
	});

	/**
	 * The gauge alone, collected as a scrape collects it, and how long that took in ms: with MONGODB_URL, other gauges (the
	 * notifications outbox) wait on MongoDB too, and a whole scrape would time them as well.
	 */
	const collectGauge = async () => {
		const gauge = container.metrics.registry.getSingleMetric('kaltura_bot_storage_up');
		if (gauge === undefined) throw new Error('kaltura_bot_storage_up is not registered');
		const started = performance.now();
		const { values } = await gauge.get();
		const value = (store: string) => values.find((sample) => sample.labels.store === store)?.value;
		return { documents: value('documents'), keyv: value('keyv'), ms: performance.now() - started };
	};

	it('GIVEN a MongoDB URL nothing listens on THEN 0 once its server selection gives up, well within the bound', async () => {
		await botWith({ DATA_DIR: freshDirectory(), MONGODB_URL: 'mongodb://127.0.0.1:1/kaltura?serverSelectionTimeoutMS=500' });
		const { documents, keyv, ms } = await collectGauge();
		expect(documents).to.equal(0);
		expect(keyv).to.equal(1);
		// The driver tried for its 500 ms: the 0 is the store's answer, not a default.
		expect(ms).to.be.within(400, 2_500);
	});

	it('GIVEN a MongoDB that takes the connection and never answers THEN 0 after the 2 s bound, not the driver’s 5 s', async () => {
		const silent = await silentServer();
		try {
			await botWith({ DATA_DIR: freshDirectory(), MONGODB_URL: `mongodb://127.0.0.1:${silent.port}/kaltura` });
			const { documents, ms } = await collectGauge();
			expect(documents).to.equal(0);
			expect(ms).to.be.within(1_900, 4_000);
		} finally {
			await silent.close();
		}
	});
});

describe('DocumentAuditLog.storeUp', () => {
	const redactor = new SecretRedactor([]);
	const logger = createLogger({ level: 'debug', json: false, redactor, transports: [new CapturedLog().transport] });
	const auditLog = (DATA_DIR: string, openStore?: () => Promise<AuditStore>) =>
		new DocumentAuditLog({ location: { DATA_DIR }, retentionDays: 30, redactor, logger, ...(openStore ? { openStore } : {}) });

	it('GIVEN DATA_DIR is a file THEN false; a directory in its place THEN true', async () => {
		const dataDirectory = join(freshDirectory(), 'data');
		writeFileSync(dataDirectory, 'not a directory');
		const audit = auditLog(dataDirectory);
		expect(await audit.storeUp()).to.equal(false);
		rmSync(dataDirectory);
		mkdirSync(dataDirectory);
		expect(await audit.storeUp()).to.equal(true);
		expect(existsSync(join(dataDirectory, AUDIT_SQLITE_FILE))).to.equal(false);
		await audit.close();
	});

	it('GIVEN DATA_DIR is read-only THEN false; writable again THEN true', async function () {
		// Permissions do not bind root, which may write anywhere: nothing to tell apart then.
		if (process.getuid?.() === 0) this.skip();
		const dataDirectory = freshDirectory();
		chmodSync(dataDirectory, 0o500);
		const audit = auditLog(dataDirectory);
		try {
			expect(await audit.storeUp()).to.equal(false);
			chmodSync(dataDirectory, 0o700);
			expect(await audit.storeUp()).to.equal(true);
		} finally {
			chmodSync(dataDirectory, 0o700);
			await audit.close();
		}
	});

	it('GIVEN a store whose ping never answers THEN false once the bound has passed, not before', async () => {
		const directory = freshDirectory();
		let hang = true;
		const store = new SqliteAuditStore(join(directory, AUDIT_SQLITE_FILE));
		const ping = store.ping.bind(store);
		store.ping = () => (hang ? new Promise<void>(() => undefined) : ping());
		const audit = auditLog(directory, () => Promise.resolve(store));
		const started = performance.now();
		expect(await audit.storeUp(300)).to.equal(false);
		expect(performance.now() - started).to.be.within(280, 2_000);
		hang = false;
		expect(await audit.storeUp(300)).to.equal(true);
		await audit.close();
	});

	it('GIVEN the SQLite database is closed under the log THEN false (its SELECT 1 fails)', async () => {
		const directory = freshDirectory();
		const store = new SqliteAuditStore(join(directory, AUDIT_SQLITE_FILE));
		const audit = auditLog(directory, () => Promise.resolve(store));
		expect(await audit.storeUp()).to.equal(true);
		await store.close();
		expect(await audit.storeUp()).to.equal(false);
		await audit.close();
	});

	it('GIVEN a store that cannot be opened THEN false, and a later call tries again', async () => {
		const directory = freshDirectory();
		let attempts = 0;
		const audit = auditLog(directory, () =>
			++attempts === 1
				? Promise.reject(new Error('connection refused'))
				: Promise.resolve(new SqliteAuditStore(join(directory, AUDIT_SQLITE_FILE)))
		);
		expect(await audit.storeUp()).to.equal(false);
		expect(await audit.storeUp()).to.equal(true);
		expect(attempts).to.equal(2);
		await audit.close();
	});
});
