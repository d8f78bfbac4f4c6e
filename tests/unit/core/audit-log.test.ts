import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { formatAuditLine } from '../../../src/core/audit/audit-format.js';
import type { AuditEntry, AuditEntryInput } from '../../../src/core/audit/audit-log.js';
import { configChanges } from '../../../src/core/audit/config-changes.js';
import { DocumentAuditLog } from '../../../src/core/audit/document-audit-log.js';
import { looksSecret, redactEntry } from '../../../src/core/audit/redact-entry.js';
import { SqliteAuditStore } from '../../../src/core/audit/sqlite-audit-store.js';
import { createLogger } from '../../../src/core/logger.js';
import { REDACTED, SecretRedactor } from '../../../src/core/redactor.js';
import { CapturedLog } from '../../helpers/test-bot.js';

const GUILD = '100000000000000001';
const ADA = '300000000000000001';
const ADMIN_SECRET = 'the-partners-admin-secret-value';
/** Shaped like a KS v2 and a JWT: the redactor knows neither value, only their shapes. */
const KS = 'djJ8MTIzNHx2ZXJ5LXNlY3JldC1zZXNzaW9uLWJvZHktMTIzNDU2Nzg5MA==';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIzMDAwMDAwMDAwMDAwMDAwMDEifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const DAY = 86_400_000;

const redactor = new SecretRedactor([ADMIN_SECRET]);
const input = (overrides: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
	guildId: GUILD,
	actorId: ADA,
	source: 'command',
	action: 'config.set',
	...overrides
});

describe('Audit log: redaction before anything is stored', () => {
	it('GIVEN KS-, JWT-shaped and configured secrets anywhere in target, changes or detail THEN none survives', () => {
		const redacted = redactEntry(
			input({
				target: `videos.${KS}`,
				changes: {
					'notifications.templates.entry.ready.title': { before: null, after: `Ready ${KS}` },
					nested: [{ text: `Bearer ${JWT}` }],
					[ADMIN_SECRET]: 1
				},
				detail: `refused with ${ADMIN_SECRET}`
			}),
			redactor
		);
		const text = JSON.stringify(redacted);
		for (const secret of [KS, JWT, ADMIN_SECRET]) expect(text).to.not.include(secret);
		expect(redacted.changes!['notifications.templates.entry.ready.title']).to.deep.equal({ before: null, after: `Ready ${REDACTED}` });
		expect(redacted.detail).to.equal(`refused with ${REDACTED}`);
	});

	it('GIVEN fields whose names say they hold a secret THEN their values are replaced, whatever they look like', () => {
		const redacted = redactEntry(
			input({
				changes: {
					streamKey: 'abc',
					'app-token': 'plain',
					adminSecret: 'x',
					ks: 'y',
					password: 'p',
					apiKey: 'k',
					other: { refreshToken: 'r' },
					monkey: 'kept',
					keyboard: 'kept'
				}
			}),
			redactor
		);
		expect(redacted.changes).to.deep.equal({
			streamKey: REDACTED,
			'app-token': REDACTED,
			adminSecret: REDACTED,
			ks: REDACTED,
			password: REDACTED,
			apiKey: REDACTED,
			other: { refreshToken: REDACTED },
			monkey: 'kept',
			keyboard: 'kept'
		});
		expect(looksSecret('meetings.kafSecret')).to.equal(true);
		expect(looksSecret('role-mapping.defaultRole')).to.equal(false);
	});

	it('GIVEN a config key that looks secret as the target THEN every value of its change is replaced', () => {
		const redacted = redactEntry(
			input({ target: 'videos.streamKey', changes: { 'videos.streamKey': { before: null, after: 'live_abc' } } }),
			redactor
		);
		expect(redacted.changes).to.deep.equal({ 'videos.streamKey': REDACTED });
	});

	it('GIVEN a very long value THEN it is cut after redaction', () => {
		const redacted = redactEntry(input({ detail: `${'a'.repeat(5000)}${KS}` }), redactor);
		expect(redacted.detail!.length).to.equal(1000);
		expect(redacted.detail).to.not.include('djJ8');
	});
});

describe('Audit log: config changes and lines', () => {
	it('GIVEN two runtime layers THEN each changed leaf is listed with both values, nothing else', () => {
		expect(configChanges({ a: { b: 1, c: 2 }, d: [1] }, { a: { b: 1, c: 3 }, e: { f: 'x' } })).to.deep.equal({
			'a.c': { before: 2, after: 3 },
			d: { before: [1], after: null },
			'e.f': { before: null, after: 'x' }
		});
	});

	it('GIVEN an entry with markdown and mentions in its values THEN the line is inert, short and names actor, action and target', () => {
		const entry: AuditEntry = {
			id: 'x',
			at: 1_700_000_000_000,
			guildId: GUILD,
			actorId: ADA,
			source: 'command',
			action: 'config.set',
			outcome: 'ok',
			target: 'videos.title',
			changes: { 'videos.title': { before: null, after: `**bold** @everyone <@${ADA}> ${'z'.repeat(400)}` } }
		};
		const line = formatAuditLine(entry);
		expect(line).to.match(new RegExp(`^<t:1700000000:R> <@${ADA}> \`config.set\` → videos.title — `));
		expect(line).to.include('\\*\\*bold\\*\\*').and.not.include('@everyone').and.not.include(`<@${ADA}> ${'z'}`);
		expect(line.length).to.be.at.most(380);
	});
});

describe('DocumentAuditLog', () => {
	let log: CapturedLog;
	const logger = () => createLogger({ level: 'debug', json: false, redactor, transports: [(log = new CapturedLog()).transport] });
	const dataDir = () => mkdtempSync(join(tmpdir(), 'audit-log-'));

	it('GIVEN a bot that records nothing THEN no file is made, even by a sweep; the first entry makes it', async () => {
		const directory = dataDir();
		const audit = new DocumentAuditLog({ location: { DATA_DIR: directory }, retentionDays: 365, redactor, logger: logger() });
		expect(await audit.sweep()).to.equal(0);
		expect(existsSync(join(directory, 'audit.sqlite'))).to.equal(false);
		await audit.record(input({ target: 'a.b' }));
		expect(existsSync(join(directory, 'audit.sqlite'))).to.equal(true);
		const [stored] = await audit.list({ guildId: GUILD, limit: 10 });
		expect(stored).to.deep.include({ guildId: GUILD, actorId: ADA, action: 'config.set', target: 'a.b', outcome: 'ok', source: 'command' });
		await audit.close();
	});

	it('GIVEN the log closed at shutdown THEN a late record neither throws nor reopens the store', async () => {
		const directory = dataDir();
		const audit = new DocumentAuditLog({ location: { DATA_DIR: directory }, retentionDays: 365, redactor, logger: logger() });
		await audit.close();
		await audit.record(input());
		expect(existsSync(join(directory, 'audit.sqlite'))).to.equal(false);
		expect(log.text()).to.include('The audit log could not record config.set in guild 100000000000000001: the audit log is closed');
	});

	it('GIVEN a store that cannot be opened THEN record resolves, logs a warning without the secret, and a later record tries again', async () => {
		let attempts = 0;
		const directory = dataDir();
		const audit = new DocumentAuditLog({
			location: { DATA_DIR: directory },
			retentionDays: 365,
			redactor,
			logger: logger(),
			openStore: () =>
				++attempts === 1
					? Promise.reject(new Error(`connection refused (${ADMIN_SECRET})`))
					: Promise.resolve(new SqliteAuditStore(join(directory, 'audit.sqlite')))
		});
		await audit.record(input());
		expect(log.text()).to.include('The audit log could not record config.set').and.not.include(ADMIN_SECRET);
		await audit.record(input());
		expect(attempts).to.equal(2);
		expect(await audit.list({ guildId: GUILD, limit: 10 })).to.have.lengthOf(1);
		await audit.close();
	});

	it('GIVEN entries older than the retention THEN the sweep deletes them and keeps the rest, also on its timer', async () => {
		let now = Date.UTC(2026, 0, 1);
		const directory = dataDir();
		const audit = new DocumentAuditLog({
			location: { DATA_DIR: directory },
			retentionDays: 30,
			redactor,
			logger: logger(),
			now: () => now,
			sweepIntervalMs: 50
		});
		await audit.record(input({ target: 'old' }));
		now += 10 * DAY;
		await audit.record(input({ target: 'newer' }));
		now += 25 * DAY;
		// 35 days after the first entry, 25 after the second: the timer's sweep removes the first only.
		const deadline = Date.now() + 5000;
		while ((await audit.list({ guildId: GUILD, limit: 10 })).length > 1 && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 20));
		expect((await audit.list({ guildId: GUILD, limit: 10 })).map((entry) => entry.target)).to.deep.equal(['newer']);
		expect(log.text()).to.include('Audit log: 1 entries older than 30 days deleted.');
		now += 10 * DAY;
		expect(await audit.sweep()).to.equal(1);
		expect(await audit.list({ guildId: GUILD, limit: 10 })).to.deep.equal([]);
		await audit.close();
	});

	it('GIVEN a log channel THEN each new entry is posted there, redacted; a failed post is logged and the entry kept', async () => {
		const posted: { channelId: string; entry: AuditEntry }[] = [];
		let fail = false;
		const audit = new DocumentAuditLog({
			location: { DATA_DIR: dataDir() },
			retentionDays: 365,
			redactor,
			logger: logger(),
			post: (channelId, entry) => (fail ? Promise.reject(new Error('Missing Access')) : Promise.resolve(void posted.push({ channelId, entry })))
		});
		await audit.record(input({ target: 'before-channel' }));
		await audit.setLogChannel(GUILD, '700000000000000005');
		await audit.record(input({ target: 'after-channel', detail: KS }));
		await audit.settled();
		expect(posted.map((post) => [post.channelId, post.entry.target, post.entry.detail])).to.deep.equal([
			['700000000000000005', 'after-channel', REDACTED]
		]);
		fail = true;
		await audit.record(input({ target: 'post-fails' }));
		await audit.settled();
		expect(log.text()).to.include('could not be posted to its log channel: Missing Access');
		expect((await audit.list({ guildId: GUILD, limit: 1 }))[0]!.target).to.equal('post-fails');
		await audit.close();
	});
});
