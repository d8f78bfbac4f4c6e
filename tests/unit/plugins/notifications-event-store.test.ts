import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import type { EventStore, NotificationEvent } from '../../../plugins/notifications/lib/event-store.js';
import { SqliteEventStore } from '../../../plugins/notifications/lib/sqlite-event-store.js';

function event(key: string, overrides: Partial<NotificationEvent> = {}): NotificationEvent {
	return {
		key,
		type: 'entry.ready',
		eventType: 3,
		eventObjectType: '1',
		objectId: '0_abc',
		partnerId: 4321,
		receivedAt: 1_700_000_000_000,
		payload: JSON.stringify({ eventNotificationJobId: key }),
		...overrides
	};
}

/**
 * What every EventStore must do, whatever keeps the data. Run it against each implementation with a
 * factory that gives a fresh, empty store (and a way to reopen the same data, for durability).
 * The MongoDB store does not exist yet; when it does, it runs this same function.
 */
export function eventStoreContract(name: string, factory: () => { open(): EventStore; dispose(): void }): void {
	describe(`EventStore contract: ${name}`, () => {
		let fixture: ReturnType<typeof factory>;
		let store: EventStore;

		beforeEach(() => {
			fixture = factory();
			store = fixture.open();
		});

		afterEach(async () => {
			await store.close();
			fixture.dispose();
		});

		it('GIVEN a new key THEN it is stored; the same key again is a duplicate and changes nothing', async () => {
			expect(await store.insertIfNew(event('job:1'))).to.equal('stored');
			expect(await store.insertIfNew(event('job:1', { type: 'unknown', payload: '{"other":true}' }))).to.equal('duplicate');
			const recent = await store.recent(10);
			expect(recent).to.have.length(1);
			expect(recent[0]).to.deep.equal(event('job:1'));
		});

		it('GIVEN several events THEN recent() gives the newest first, at most the limit, ties in insertion order reversed', async () => {
			await store.insertIfNew(event('job:1', { receivedAt: 1000 }));
			await store.insertIfNew(event('job:2', { receivedAt: 3000 }));
			await store.insertIfNew(event('job:3', { receivedAt: 2000 }));
			await store.insertIfNew(event('job:4', { receivedAt: 3000 }));
			expect((await store.recent(3)).map((stored) => stored.key)).to.deep.equal(['job:4', 'job:2', 'job:3']);
			expect(await store.recent(0)).to.deep.equal([]);
		});

		it('GIVEN events of several types THEN countsByType counts each once, duplicates not included', async () => {
			expect(await store.countsByType()).to.deep.equal({});
			await store.insertIfNew(event('job:1'));
			await store.insertIfNew(event('job:1'));
			await store.insertIfNew(event('job:2', { type: 'unknown' }));
			await store.insertIfNew(event('job:3', { type: 'unknown' }));
			await store.insertIfNew(event('job:4', { type: 'user.created', eventObjectType: '8', objectId: null, partnerId: null, eventType: null }));
			expect(await store.countsByType()).to.deep.equal({ 'entry.ready': 1, unknown: 2, 'user.created': 1 });
		});

		it('GIVEN null fields THEN they come back as null', async () => {
			const sparse = event('sha256:ff', { type: 'unknown', eventType: null, eventObjectType: null, objectId: null, partnerId: null });
			await store.insertIfNew(sparse);
			expect(await store.recent(1)).to.deep.equal([sparse]);
		});

		it('GIVEN a stored event THEN a store reopened on the same data still has it and still refuses it again', async () => {
			await store.insertIfNew(event('job:9'));
			await store.close();
			store = fixture.open();
			expect((await store.recent(5)).map((stored) => stored.key)).to.deep.equal(['job:9']);
			expect(await store.insertIfNew(event('job:9'))).to.equal('duplicate');
		});
	});
}

eventStoreContract('SQLite file', () => {
	const directory = mkdtempSync(join(tmpdir(), 'event-store-'));
	return {
		open: () => new SqliteEventStore(join(directory, 'nested', 'notifications.sqlite')),
		dispose: () => rmSync(directory, { recursive: true, force: true })
	};
});

describe('SqliteEventStore', () => {
	it('GIVEN a new file THEN it is in WAL mode and the parent directory is created', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'event-store-'));
		const file = join(directory, 'a', 'b', 'notifications.sqlite');
		const store = new SqliteEventStore(file);
		await store.insertIfNew(event('job:1'));
		const reader = new Database(file, { readonly: true });
		try {
			expect(reader.pragma('journal_mode', { simple: true })).to.equal('wal');
			expect(reader.prepare('SELECT COUNT(*) AS n FROM events').get()).to.deep.equal({ n: 1 });
		} finally {
			reader.close();
			await store.close();
			rmSync(directory, { recursive: true, force: true });
		}
	});

	it('GIVEN close() twice THEN the second is harmless', async () => {
		const store = new SqliteEventStore(':memory:');
		await store.close();
		await store.close();
	});
});
