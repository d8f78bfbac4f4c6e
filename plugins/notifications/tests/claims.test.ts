import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { SqliteNotificationStore } from '../lib/store/sqlite-notification-store.js';

/** What a resend needs to know: whether the row was claimed before, and since when an earlier post of it could exist. */
describe('notifications: claims of outbox rows (SQLite)', () => {
	it('GIVEN a row claimed, its lease run out, then claimed again THEN claims counts both and first_claimed_at keeps the first', async () => {
		const store = new SqliteNotificationStore(':memory:');
		try {
			await store.insertIfNew(
				{
					key: 'job:1',
					type: 'entry.ready',
					eventType: 3,
					eventObjectType: '1',
					objectId: '0_a',
					partnerId: 1,
					receivedAt: 1_000,
					payload: '{}'
				},
				[{ guildId: 'g1', channelId: 'c1', body: {} }]
			);
			expect((await store.allDeliveries())[0]).to.include({ claims: 0, first_claimed_at: null });
			expect(await store.claimHead('c1', 'a', 5_000, 6_000)).to.include({ claims: 1, first_claimed_at: 5_000 });
			expect(await store.claimHead('c1', 'b', 6_001, 7_000)).to.include({ claims: 2, first_claimed_at: 5_000 });
			await store.releaseLeases('b', 6_500);
			expect(await store.claimHead('c1', 'c', 6_600, 8_000)).to.include({ claims: 3, first_claimed_at: 5_000 });
		} finally {
			await store.close();
		}
	});

	it('GIVEN a file from before claims were counted THEN its open rows count as claimed once since they were queued, its finished ones not', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'notification-claims-'));
		const file = join(directory, 'notifications.sqlite');
		const old = new Database(file);
		old.exec(`CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, event_key TEXT NOT NULL, guild_id TEXT NOT NULL, channel_id TEXT NOT NULL,
			body TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
			lease_until INTEGER, worker TEXT, last_error TEXT, message_id TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
			subject TEXT, edits_previous INTEGER NOT NULL DEFAULT 0, UNIQUE (event_key, channel_id));
			INSERT INTO outbox (event_key, guild_id, channel_id, body, status, next_attempt_at, created_at, updated_at) VALUES
				('job:sent', 'g1', 'c1', '{}', 'delivered', 0, 100, 100),
				('job:open', 'g1', 'c1', '{}', 'pending', 0, 200, 200),
				('job:leased', 'g1', 'c2', '{}', 'sending', 0, 300, 300);`);
		old.close();
		const store = new SqliteNotificationStore(file);
		try {
			expect((await store.allDeliveries()).map((row) => [row.event_key, row.claims, row.first_claimed_at])).to.deep.equal([
				['job:sent', 0, null],
				['job:open', 1, 200],
				['job:leased', 1, 300]
			]);
			expect(await store.claimHead('c1', 'new', 1_000, 2_000)).to.include({ event_key: 'job:open', claims: 2, first_claimed_at: 200 });
		} finally {
			await store.close();
			rmSync(directory, { recursive: true, force: true });
		}
	});
});
