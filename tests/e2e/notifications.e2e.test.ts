import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { BotProcess, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn } from '../harness/discord/index.js';
import { KalturaStandIn } from '../harness/kaltura/index.js';

const ADMIN_SECRET = 'e2e-admin-secret-for-notifications';

/** Kaltura's notifications into the bot process, kept in `<DATA_DIR>/notifications.sqlite` across a restart. */
describe('End to end: Kaltura notifications into the bot process', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: BotProcess | undefined;
	let env: Record<string, string>;
	let dataDirectory: string;
	/** Output of the process stopped for the restart. */
	let earlierOutput = '';

	before(async () => {
		discord = await DiscordStandIn.start();
		discord.addGuild({ name: 'Notified' });
		kaltura = await KalturaStandIn.start({
			partnerId: 6160,
			adminSecret: ADMIN_SECRET,
			notifications: { attempts: 3, retryIntervalMs: 50, autoDispatch: false }
		});
		dataDirectory = mkdtempSync(join(tmpdir(), 'kaltura-discord-notifications-'));
		env = {
			DATA_DIR: dataDirectory,
			...standInEnvironment({ discord, kaltura }),
			JWT_SECRET: 'e2e-jwt-secret-that-is-long-enough-for-hs256',
			NODE_ENV: 'production',
			LOG_LEVEL: 'debug'
		};
		bot = await BotProcess.start({ env });
	});

	after(async () => {
		if (bot) expect(await bot.stop(), 'exit code after SIGTERM').to.equal(0);
		await discord?.stop();
		await kaltura?.stop();
		rmSync(dataDirectory, { recursive: true, force: true });
	});

	function storedKeys(): string[] {
		const db = new Database(join(dataDirectory, 'notifications.sqlite'), { readonly: true });
		try {
			return (db.prepare('SELECT key FROM events ORDER BY seq').all() as { key: string }[]).map((row) => row.key);
		} finally {
			db.close();
		}
	}

	it('GIVEN notifications signed with each algorithm and a forged one THEN the one with the pinned hash (sha256 by default) is stored, the others refused', async () => {
		const entry = kaltura.state.addEntry({ name: 'Process test' });
		const url = `${bot!.apiUrl}/webhooks/kaltura`;
		const results = [];
		for (const algo of ['sha1', 'sha256', 'sha512'] as const)
			results.push(await kaltura.notifications.sendEvent({ url, event: 'entryReady', object: String(entry.id), algo, attempts: 1 }));
		const forged = await kaltura.notifications.sendEvent({
			url,
			event: 'entryReady',
			object: String(entry.id),
			secret: 'forged-secret-value',
			attempts: 1
		});
		expect(results.map((result) => result.statuses)).to.deep.equal([[401], [200], [401]]);
		expect(forged.statuses).to.deep.equal([401]);
		expect(storedKeys()).to.deep.equal([`job:${results[1]!.jobId}`]);
	});

	it('GIVEN a restart THEN the events are still there and a late retry of one is acknowledged without storing it again', async () => {
		const before = storedKeys();
		earlierOutput = bot!.output();
		expect(await bot!.stop()).to.equal(0);
		bot = await BotProcess.start({ env });
		const jobId = Number(before[0]!.slice('job:'.length));
		const retry = await kaltura.notifications.sendEvent({
			url: `${bot.apiUrl}/webhooks/kaltura`,
			event: 'entryReady',
			object: String(kaltura.state.addEntry().id),
			jobId
		});
		expect(retry.statuses).to.deep.equal([200]);
		expect(JSON.parse(retry.attempts[0]!.responseBody!)).to.include({ status: 'duplicate' });
		expect(storedKeys()).to.deep.equal(before);
	});

	it('GIVEN everything above THEN the admin secret never appears in the bot’s output', () => {
		expect(earlierOutput + bot!.output()).to.not.include(ADMIN_SECRET);
	});
});
