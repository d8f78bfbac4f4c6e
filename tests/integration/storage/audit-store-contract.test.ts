import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { newAuditId } from '../../../src/core/audit/audit-ids.js';
import type { AuditAction, AuditEntry } from '../../../src/core/audit/audit-log.js';
import { AUDIT_PRUNE_BATCH, type AuditStore } from '../../../src/core/audit/audit-store.js';
import { MongoAuditStore } from '../../../src/core/audit/mongo-audit-store.js';
import { SqliteAuditStore } from '../../../src/core/audit/sqlite-audit-store.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const ADA = '300000000000000001';
const KIM = '300000000000000002';

function entry(at: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
	return { id: newAuditId(at), at, guildId: GUILD, actorId: ADA, source: 'command', action: 'config.set', outcome: 'ok', ...overrides };
}

interface StoreFixture {
	/** A store on the fixture's data; calling it again after close() reopens the same data. */
	open(): Promise<AuditStore>;
	dispose(): Promise<void>;
}

/**
 * What every AuditStore must do, whatever keeps the entries: run against each implementation. A factory
 * that returns null skips the suite (its server is not there), as the suite's title says.
 */
function auditStoreContract(name: string, factory: () => StoreFixture | null): void {
	describe(`AuditStore contract: ${name}`, function () {
		let fixture: StoreFixture;
		let store: AuditStore;

		beforeEach(async function () {
			const made = factory();
			if (made === null) this.skip();
			fixture = made;
			store = await fixture.open();
		});

		afterEach(async () => {
			await store?.close();
			await fixture?.dispose();
		});

		it('GIVEN an open store THEN ping answers, and writes no entry', async () => {
			await store.ping();
			expect(await store.list({ guildId: GUILD, limit: 10 })).to.deep.equal([]);
		});

		it('GIVEN an entry with every field THEN it reads back equal, and an entry without the optional fields has none', async () => {
			const full = entry(1_700_000_000_000, {
				target: 'meetings.defaultDurationMinutes',
				changes: { 'meetings.defaultDurationMinutes': { before: null, after: 60 } },
				detail: 'why',
				outcome: 'refused',
				source: 'api'
			});
			const bare = entry(1_700_000_000_001, { action: 'plugin.enable' });
			await store.insert(full);
			await store.insert(bare);
			expect(await store.list({ guildId: GUILD, limit: 10 })).to.deep.equal([bare, full]);
		});

		it('GIVEN entries of two guilds THEN each guild reads only its own, newest first, at most the limit', async () => {
			const times = [1000, 3000, 2000, 3000];
			const stored = times.map((at) => entry(at));
			for (const item of stored) await store.insert(item);
			await store.insert(entry(5000, { guildId: OTHER_GUILD }));
			// Equal times: the later id (made later) first.
			expect((await store.list({ guildId: GUILD, limit: 3 })).map((item) => item.id)).to.deep.equal([
				stored[3]!.id,
				stored[1]!.id,
				stored[2]!.id
			]);
			expect(await store.list({ guildId: GUILD, limit: 0 })).to.deep.equal([]);
			expect((await store.list({ guildId: OTHER_GUILD, limit: 10 })).map((item) => item.guildId)).to.deep.equal([OTHER_GUILD]);
		});

		it('GIVEN filters THEN only that member’s, or that action’s, entries come back, and both together', async () => {
			const actions: [string, AuditAction][] = [
				[ADA, 'config.set'],
				[KIM, 'config.set'],
				[ADA, 'plugin.enable'],
				[KIM, 'plugin.enable'],
				[KIM, 'plugin.enable']
			];
			for (const [index, [actorId, action]] of actions.entries()) await store.insert(entry(1000 + index, { actorId, action }));
			expect((await store.list({ guildId: GUILD, actorId: KIM, limit: 10 })).map((item) => item.at)).to.deep.equal([1004, 1003, 1001]);
			expect((await store.list({ guildId: GUILD, action: 'plugin.enable', limit: 10 })).map((item) => item.at)).to.deep.equal([
				1004, 1003, 1002
			]);
			expect((await store.list({ guildId: GUILD, actorId: ADA, action: 'plugin.enable', limit: 10 })).map((item) => item.at)).to.deep.equal([
				1002
			]);
		});

		it('GIVEN a cursor THEN the pages before an id, or before a time, and by offset follow each other without gaps or repeats', async () => {
			const stored: AuditEntry[] = [];
			// Five entries in one millisecond, then more: ids keep their order within the millisecond.
			for (let index = 0; index < 12; index++) stored.push(entry(index < 5 ? 7000 : 7000 + index));
			for (const item of [...stored].reverse()) await store.insert(item);
			const newestFirst = [...stored].reverse().map((item) => item.id);
			const pages: string[] = [];
			let before: { id: string } | undefined;
			for (;;) {
				const page = await store.list({ guildId: GUILD, limit: 5, before });
				pages.push(...page.map((item) => item.id));
				if (page.length < 5) break;
				before = { id: page.at(-1)!.id };
			}
			expect(pages).to.deep.equal(newestFirst);
			expect((await store.list({ guildId: GUILD, limit: 100, before: { at: 7006 } })).map((item) => item.at)).to.deep.equal([
				7005, 7000, 7000, 7000, 7000, 7000
			]);
			expect((await store.list({ guildId: GUILD, limit: 5, offset: 5 })).map((item) => item.id)).to.deep.equal(newestFirst.slice(5, 10));
		});

		it('GIVEN old and recent entries, more old ones than a batch THEN prune deletes exactly the old ones', async function () {
			this.timeout(30_000);
			const old = AUDIT_PRUNE_BATCH + 7;
			for (let index = 0; index < old; index++) await store.insert(entry(1000 + index));
			const recent = entry(100_000);
			await store.insert(recent);
			expect(await store.prune(50_000)).to.equal(old);
			expect(await store.list({ guildId: GUILD, limit: 10 })).to.deep.equal([recent]);
			expect(await store.prune(50_000)).to.equal(0);
		});

		it('GIVEN a log channel set, changed and cleared THEN each guild reads its own', async () => {
			expect(await store.logChannelOf(GUILD)).to.equal(null);
			await store.setLogChannel(GUILD, '700000000000000001');
			await store.setLogChannel(OTHER_GUILD, '700000000000000009');
			await store.setLogChannel(GUILD, '700000000000000002');
			expect(await store.logChannelOf(GUILD)).to.equal('700000000000000002');
			await store.setLogChannel(GUILD, null);
			expect(await store.logChannelOf(GUILD)).to.equal(null);
			expect(await store.logChannelOf(OTHER_GUILD)).to.equal('700000000000000009');
		});

		it('GIVEN the store is closed and opened again THEN entries and log channels are still there', async () => {
			const kept = entry(1234, { changes: { 'a.b': { before: 1, after: 2 } } });
			await store.insert(kept);
			await store.setLogChannel(GUILD, '700000000000000001');
			await store.close();
			store = await fixture.open();
			expect(await store.list({ guildId: GUILD, limit: 10 })).to.deep.equal([kept]);
			expect(await store.logChannelOf(GUILD)).to.equal('700000000000000001');
		});
	});
}

auditStoreContract('SQLite', () => {
	const file = join(mkdtempSync(join(tmpdir(), 'audit-store-')), 'nested', 'audit.sqlite');
	return { open: () => Promise.resolve(new SqliteAuditStore(file)), dispose: () => Promise.resolve() };
});

/** MongoDB, when TEST_MONGODB_URL names a server: each test gets its own collections, dropped afterwards. */
let mongoRuns = 0;
auditStoreContract(process.env.TEST_MONGODB_URL ? 'MongoDB' : 'MongoDB (skipped: TEST_MONGODB_URL is not set)', () => {
	const url = process.env.TEST_MONGODB_URL;
	if (!url) return null;
	const prefix = `contract_${process.pid}_${++mongoRuns}_`;
	return {
		open: () => MongoAuditStore.connect(url, { prefix }),
		dispose: async () => {
			const store = await MongoAuditStore.connect(url, { prefix });
			await store.drop();
			await store.close();
		}
	};
});

describe('SqliteAuditStore', () => {
	it('GIVEN a new file THEN it is in WAL mode with synchronous FULL, the directory is made, and the guild indexes exist', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'audit-store-')), 'deeper', 'audit.sqlite');
		expect(existsSync(file)).to.equal(false);
		const store = new SqliteAuditStore(file);
		await store.close();
		const db = new Database(file, { readonly: true });
		try {
			expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
			const indexes = (
				db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit'`).all() as { name: string }[]
			).map((row) => row.name);
			expect(indexes).to.include.members(['audit_guild_at', 'audit_guild_actor', 'audit_guild_action', 'audit_at']);
			const columnsOf = (index: string) => (db.prepare(`PRAGMA index_info(${index})`).all() as { name: string }[]).map((column) => column.name);
			expect(columnsOf('audit_guild_at')).to.deep.equal(['guild_id', 'at']);
			expect(columnsOf('audit_guild_actor').slice(0, 2)).to.deep.equal(['guild_id', 'actor_id']);
			expect(columnsOf('audit_guild_action').slice(0, 2)).to.deep.equal(['guild_id', 'action']);
		} finally {
			db.close();
		}
	});
});
