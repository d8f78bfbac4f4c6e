import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { MongoNotificationStore } from '../lib/store/mongo-notification-store.js';
import type { NotificationEvent, NotificationStore, OutboxDraft } from '../lib/store/notification-store.js';
import { SqliteNotificationStore } from '../lib/store/sqlite-notification-store.js';
import { migrateSqliteSchema } from '../lib/store/sqlite-schema.js';

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

const draft = (channelId: string, overrides: Partial<OutboxDraft> = {}): OutboxDraft => ({
	guildId: 'g1',
	channelId,
	body: { content: `to ${channelId}` },
	...overrides
});

interface StoreFixture {
	/** A store on the fixture's data; calling it again after close() reopens the same data. */
	open(): Promise<NotificationStore>;
	dispose(): Promise<void>;
}

/**
 * What every NotificationStore must do, whatever keeps the data: run against each implementation with a
 * factory that gives a fresh, empty store (and a way to reopen the same data, for durability). A factory
 * that returns null skips the suite (its server is not there), with the reason as the suite's title says.
 */
function notificationStoreContract(name: string, factory: () => StoreFixture | null): void {
	describe(`NotificationStore contract: ${name}`, function () {
		let fixture: StoreFixture;
		let store: NotificationStore;

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

		describe('events', () => {
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
				await store.insertIfNew(
					event('job:4', { type: 'user.created', eventObjectType: '8', objectId: null, partnerId: null, eventType: null })
				);
				expect(await store.countsByType()).to.deep.equal({ 'entry.ready': 1, unknown: 2, 'user.created': 1 });
			});

			it('GIVEN null fields THEN they come back as null', async () => {
				const sparse = event('sha256:ff', { type: 'unknown', eventType: null, eventObjectType: null, objectId: null, partnerId: null });
				await store.insertIfNew(sparse);
				expect(await store.recent(1)).to.deep.equal([sparse]);
			});

			it('GIVEN a stored event and its deliveries THEN a store reopened on the same data has them and still refuses the event again', async () => {
				await store.insertIfNew(event('job:9'), [draft('c1')]);
				await store.close();
				store = await fixture.open();
				expect((await store.recent(5)).map((stored) => stored.key)).to.deep.equal(['job:9']);
				expect((await store.allDeliveries()).map((row) => [row.event_key, row.channel_id, row.status])).to.deep.equal([
					['job:9', 'c1', 'pending']
				]);
				expect(await store.insertIfNew(event('job:9'), [draft('c1')])).to.equal('duplicate');
			});

			it('GIVEN an event without a body (no subscription wanted its type) THEN it is kept with a null payload and its key refuses it again', async () => {
				const bare = event('job:bare', { type: 'entry.added', payload: null });
				expect(await store.insertIfNew(bare)).to.equal('stored');
				expect(await store.recent(1)).to.deep.equal([bare]);
				expect(await store.insertIfNew(event('job:bare'))).to.equal('duplicate');
			});

			it('GIVEN an event pruned by retention THEN its key is still remembered: sent again it is a duplicate and queues nothing, until its key is forgotten', async () => {
				const day = 86_400_000;
				const now = 1_800_000_000_000;
				await store.insertIfNew(event('job:old', { receivedAt: now - 40 * day }));
				expect(await store.prune(now - 30 * day)).to.deep.equal({ events: 1, deliveries: 0 });
				expect(await store.recent(10)).to.deep.equal([]);
				expect(await store.insertIfNew(event('job:old', { receivedAt: now }), [draft('c1')])).to.equal('duplicate');
				expect(await store.allDeliveries()).to.deep.equal([]);
				// Keys are kept for KEY_RETENTION_DAYS; forgetting those received before a day later than it does nothing more.
				expect(await store.forgetKeys(now - 41 * day)).to.equal(0);
				expect(await store.forgetKeys(now - 39 * day)).to.equal(1);
				expect(await store.insertIfNew(event('job:old', { receivedAt: now }))).to.equal('stored');
			});

			it('GIVEN the same event inserted concurrently THEN exactly one insert stores it', async () => {
				const results = await Promise.all(Array.from({ length: 10 }, () => store.insertIfNew(event('job:race'), [draft('c1')])));
				expect(results.filter((result) => result === 'stored')).to.have.length(1);
				expect(await store.allDeliveries()).to.have.length(1);
			});
		});

		describe('subscriptions', () => {
			it('GIVEN subscribe twice for one channel THEN the second replaces the first and re-enables it', async () => {
				await store.subscribe({ guildId: 'g1', channelId: 'c2', events: ['entry.ready'], categoryId: null, roleId: null });
				await store.subscribe({ guildId: 'g1', channelId: 'c1', events: ['*'], categoryId: '7', roleId: 'r1' });
				expect(await store.disableSubscription('c1', '403 Missing Access')).to.equal(true);
				expect(await store.disableSubscription('c1', '404 Unknown Channel'), 'already disabled').to.equal(false);
				expect((await store.subscriptionsOf('g1'))[0]).to.deep.include({
					channelId: 'c1',
					enabled: false,
					disabledReason: '403 Missing Access'
				});
				await store.subscribe({
					guildId: 'g1',
					channelId: 'c1',
					events: ['live_stream.started', 'live_stream.ended'],
					categoryId: null,
					roleId: null
				});
				expect(await store.subscriptionsOf('g1')).to.deep.equal([
					{
						guildId: 'g1',
						channelId: 'c1',
						events: ['live_stream.started', 'live_stream.ended'],
						categoryId: null,
						roleId: null,
						enabled: true,
						disabledReason: null
					},
					{ guildId: 'g1', channelId: 'c2', events: ['entry.ready'], categoryId: null, roleId: null, enabled: true, disabledReason: null }
				]);
			});

			it('GIVEN subscribe THEN it answers the subscription it replaced (as it was, paused or not), or null for a new one', async () => {
				expect(await store.subscribe({ guildId: 'g1', channelId: 'c1', events: ['*'], categoryId: '7', roleId: 'r1' })).to.equal(null);
				await store.disableSubscription('c1', '403 Missing Access');
				expect(
					await store.subscribe({ guildId: 'g1', channelId: 'c1', events: ['entry.ready'], categoryId: null, roleId: null })
				).to.deep.equal({
					guildId: 'g1',
					channelId: 'c1',
					events: ['*'],
					categoryId: '7',
					roleId: 'r1',
					enabled: false,
					disabledReason: '403 Missing Access'
				});
				expect(
					await store.subscribe({ guildId: 'g1', channelId: 'c1', events: ['user.created'], categoryId: null, roleId: null })
				).to.deep.include({ events: ['entry.ready'], enabled: true });
			});

			it('GIVEN subscriptions of two guilds THEN enabledSubscriptionsFor gives the enabled ones wanting the type, never for unknown', async () => {
				await store.subscribe({ guildId: 'g1', channelId: 'c1', events: ['*'], categoryId: null, roleId: null });
				await store.subscribe({ guildId: 'g2', channelId: 'c2', events: ['entry.ready'], categoryId: null, roleId: null });
				await store.subscribe({ guildId: 'g2', channelId: 'c3', events: ['user.created'], categoryId: null, roleId: null });
				const channels = async (type: Parameters<NotificationStore['enabledSubscriptionsFor']>[0]) =>
					(await store.enabledSubscriptionsFor(type)).map((subscription) => subscription.channelId).sort();
				expect(await channels('entry.ready')).to.deep.equal(['c1', 'c2']);
				expect(await channels('unknown')).to.deep.equal([]);
				await store.disableSubscription('c2', 'gone');
				expect(await channels('entry.ready')).to.deep.equal(['c1']);
				expect(await store.unsubscribe('g2', 'c1')).to.equal(false);
				expect(await store.unsubscribe('g1', 'c1')).to.equal(true);
				expect(await channels('entry.ready')).to.deep.equal([]);
			});
		});

		describe('outbox', () => {
			it('GIVEN an event for several channels THEN one row per channel, numbered in order; a duplicate queues nothing', async () => {
				await store.insertIfNew(event('job:1'), [draft('c1'), draft('c2')]);
				await store.insertIfNew(event('job:2'), [draft('c1')]);
				await store.insertIfNew(event('job:1'), [draft('c1'), draft('c3')]);
				const rows = await store.allDeliveries();
				expect(rows.map((row) => [row.event_key, row.channel_id, row.status, row.attempts])).to.deep.equal([
					['job:1', 'c1', 'pending', 0],
					['job:1', 'c2', 'pending', 0],
					['job:2', 'c1', 'pending', 0]
				]);
				expect(rows[0]!.id).to.be.below(rows[1]!.id);
				expect(rows[1]!.id).to.be.below(rows[2]!.id);
				expect(JSON.parse(rows[0]!.body)).to.deep.equal({ content: 'to c1' });
				expect((await store.openChannels()).sort()).to.deep.equal(['c1', 'c2']);
			});

			it('GIVEN a claimed head THEN no one else claims it or the rows behind it until its lease runs out', async () => {
				await store.insertIfNew(event('job:1'), [draft('c1')]);
				await store.insertIfNew(event('job:2'), [draft('c1')]);
				const now = 1_800_000_000_000;
				const first = await store.claimHead('c1', 'a', now, now + 1_000);
				expect(first).to.include({ event_key: 'job:1', status: 'sending', worker: 'a', lease_until: now + 1_000 });
				expect(await store.claimHead('c1', 'b', now + 500, now + 1_500)).to.equal(undefined);
				expect(await store.claimHead('c1', 'b', now + 1_001, now + 2_000)).to.include({ event_key: 'job:1', worker: 'b' });
				expect(await store.leaseHolders()).to.deep.equal(['b']);
			});

			it('GIVEN workers racing for one head THEN exactly one wins', async () => {
				await store.insertIfNew(event('job:1'), [draft('c1')]);
				const now = 1_800_000_000_000;
				const claims = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((worker) => store.claimHead('c1', worker, now, now + 1_000)));
				expect(claims.filter((claim) => claim !== undefined)).to.have.length(1);
			});

			it('GIVEN outcomes THEN delivered keeps the message id; pending waits for its next attempt; only the lease holder records', async () => {
				await store.insertIfNew(event('job:1'), [draft('c1')]);
				await store.insertIfNew(event('job:2'), [draft('c1')]);
				const now = 1_800_000_000_000;
				const first = (await store.claimHead('c1', 'a', now, now + 1_000))!;
				await store.finish(first.id, 'someone-else', { status: 'delivered', messageId: 'm0' }, now);
				expect((await store.allDeliveries())[0]).to.include({ status: 'sending', message_id: null });
				await store.finish(first.id, 'a', { status: 'delivered', messageId: 'm1' }, now);
				const second = (await store.claimHead('c1', 'a', now, now + 1_000))!;
				expect(second.event_key).to.equal('job:2');
				await store.finish(second.id, 'a', { status: 'pending', error: '503 Service Unavailable', nextAttemptAt: now + 5_000 }, now);
				expect(await store.claimHead('c1', 'a', now + 4_999, now + 6_000)).to.equal(undefined);
				expect(await store.claimHead('c1', 'a', now + 5_000, now + 6_000)).to.include({
					id: second.id,
					attempts: 1,
					last_error: '503 Service Unavailable'
				});
				expect((await store.allDeliveries()).map((row) => [row.status, row.message_id, row.attempts])).to.deep.equal([
					['delivered', 'm1', 1],
					['sending', null, 1]
				]);
			});

			it('GIVEN a dead worker THEN releaseLeases hands its rows back at once', async () => {
				await store.insertIfNew(event('job:1'), [draft('c1'), draft('c2')]);
				const now = Date.now();
				await store.claimHead('c1', 'host:1:dead', now, now + 60_000);
				await store.claimHead('c2', 'host:2:alive', now, now + 60_000);
				expect((await store.leaseHolders()).sort()).to.deep.equal(['host:1:dead', 'host:2:alive']);
				expect(await store.releaseLeases('host:1:dead')).to.equal(1);
				expect(await store.claimHead('c1', 'me', now, now + 1_000)).to.include({ channel_id: 'c1', worker: 'me' });
				expect(await store.claimHead('c2', 'me', now, now + 1_000)).to.equal(undefined);
			});

			it('GIVEN rows about one subject THEN previousMessageOf gives the latest delivered one queued before, in that channel only', async () => {
				await store.insertIfNew(event('job:1'), [draft('c1', { subject: 'live:0_a' }), draft('c2', { subject: 'live:0_a' })]);
				await store.insertIfNew(event('job:2'), [draft('c1', { subject: 'live:0_b' })]);
				await store.insertIfNew(event('job:3'), [draft('c1', { subject: 'live:0_a', editsPrevious: true })]);
				const now = Date.now();
				const deliver = async (messageId: string) => {
					const row = (await store.claimHead('c1', 'w', now, now + 1_000))!;
					await store.finish(row.id, 'w', { status: 'delivered', messageId }, now);
					return row;
				};
				const first = await deliver('m-a');
				expect(first).to.include({ subject: 'live:0_a', edits_previous: false });
				await deliver('m-b');
				const third = (await store.claimHead('c1', 'w', now, now + 1_000))!;
				expect(third).to.include({ subject: 'live:0_a', edits_previous: true });
				expect(await store.previousMessageOf('c1', 'live:0_a', third.id)).to.equal('m-a');
				expect(await store.previousMessageOf('c1', 'live:0_a', first.id)).to.equal(null);
				expect(await store.previousMessageOf('c2', 'live:0_a', third.id)).to.equal(null);
				expect(await store.previousMessageOf('c1', 'meeting:1', third.id)).to.equal(null);
			});

			it('GIVEN old and new events THEN prune deletes old finished deliveries and old events without open ones, and keeps the rest', async () => {
				const day = 86_400_000;
				const now = 1_800_000_000_000;
				const old = now - 40 * day;
				// Old, delivered long ago: both go.
				await store.insertIfNew(event('job:old-done', { receivedAt: old }), [draft('c1')]);
				// Old, its delivery still pending (the channel was down): both stay.
				await store.insertIfNew(event('job:old-open', { receivedAt: old }), [draft('c2')]);
				// Old, no delivery at all: goes.
				await store.insertIfNew(event('job:old-none', { receivedAt: old }));
				// Recent: stays.
				await store.insertIfNew(event('job:new', { receivedAt: now - day }), [draft('c3')]);
				const done = (await store.claimHead('c1', 'w', old, old + 1_000))!;
				await store.finish(done.id, 'w', { status: 'delivered', messageId: 'm1' }, old);
				const recent = (await store.claimHead('c3', 'w', now, now + 1_000))!;
				await store.finish(recent.id, 'w', { status: 'delivered', messageId: 'm3' }, now - day);

				expect(await store.prune(now - 30 * day)).to.deep.equal({ events: 2, deliveries: 1 });
				expect((await store.recent(10)).map((stored) => stored.key).sort()).to.deep.equal(['job:new', 'job:old-open']);
				expect((await store.allDeliveries()).map((row) => [row.event_key, row.status])).to.deep.equal([
					['job:old-open', 'pending'],
					['job:new', 'delivered']
				]);
				// Nothing is left to delete.
				expect(await store.prune(now - 30 * day)).to.deep.equal({ events: 0, deliveries: 0 });
			});

			it('GIVEN a backlog larger than one batch THEN prune deletes all of it', async () => {
				const now = 1_800_000_000_000;
				const old = now - 40 * 86_400_000;
				for (let index = 0; index < 2_500; index++) {
					await store.insertIfNew(event(`job:backlog-${index}`, { receivedAt: old }), index % 1_000 === 0 ? [draft(`c${index}`)] : []);
				}
				// The four events with a delivery keep theirs (pending); every other one goes.
				expect(await store.prune(now - 30 * 86_400_000)).to.deep.equal({ events: 2_497, deliveries: 0 });
				expect(await store.recent(10)).to.have.length(3);
			});

			it('GIVEN deliveries of two guilds THEN deliveriesOf and statusCountsOf show only the guild’s, newest first, with the event type', async () => {
				await store.insertIfNew(event('job:1', { type: 'live_stream.started' }), [draft('c1'), { guildId: 'g2', channelId: 'c9', body: {} }]);
				await store.insertIfNew(event('job:2'), [draft('c1')]);
				const now = Date.now();
				const row = (await store.claimHead('c1', 'w', now, now + 1_000))!;
				await store.finish(row.id, 'w', { status: 'failed', error: '403 Missing Access' }, now);
				const deliveries = await store.deliveriesOf('g1', 10);
				expect(
					deliveries.map((delivery) => [delivery.event_key, delivery.event_type, delivery.channel_id, delivery.status, delivery.last_error])
				).to.deep.equal([
					['job:2', 'entry.ready', 'c1', 'pending', null],
					['job:1', 'live_stream.started', 'c1', 'failed', '403 Missing Access']
				]);
				expect(deliveries[0]).to.not.have.property('body');
				expect((await store.deliveriesOf('g1', 10, ['failed', 'dead'])).map((delivery) => delivery.event_key)).to.deep.equal(['job:1']);
				expect(await store.deliveriesOf('g1', 1)).to.have.length(1);
				expect(await store.statusCountsOf('g1')).to.deep.equal({ pending: 1, failed: 1 });
				expect(await store.statusCountsOf('g2')).to.deep.equal({ pending: 1 });
			});

			it('GIVEN deliveries of two guilds in several statuses THEN statusCounts counts every guild’s, by status', async () => {
				expect(await store.statusCounts()).to.deep.equal({});
				await store.insertIfNew(event('job:1'), [draft('c1'), { guildId: 'g2', channelId: 'c9', body: {} }]);
				await store.insertIfNew(event('job:2'), [draft('c2'), draft('c3')]);
				const now = Date.now();
				const first = (await store.claimHead('c1', 'w', now, now + 1_000))!;
				await store.finish(first.id, 'w', { status: 'delivered', messageId: 'm1' }, now);
				const second = (await store.claimHead('c2', 'w', now, now + 1_000))!;
				await store.finish(second.id, 'w', { status: 'dead', error: '400 Bad Request' }, now);
				await store.claimHead('c3', 'w', now, now + 1_000);
				expect(await store.statusCounts()).to.deep.equal({ delivered: 1, dead: 1, sending: 1, pending: 1 });
			});

			it('GIVEN a queued delivery THEN its row says when it was queued: the event’s receipt', async () => {
				await store.insertIfNew(event('job:1', { receivedAt: 1_700_000_123_456 }), [draft('c1')]);
				const now = Date.now();
				expect((await store.claimHead('c1', 'w', now, now + 1_000))?.created_at).to.equal(1_700_000_123_456);
				expect((await store.allDeliveries())[0]?.created_at).to.equal(1_700_000_123_456);
			});
		});
	});
}

notificationStoreContract('SQLite file', () => {
	const directory = mkdtempSync(join(tmpdir(), 'notification-store-'));
	return {
		open: () => Promise.resolve(new SqliteNotificationStore(join(directory, 'nested', 'notifications.sqlite'))),
		dispose: () => Promise.resolve(rmSync(directory, { recursive: true, force: true }))
	};
});

/**
 * MongoDB, when TEST_MONGODB_URL names a server (a replica set or a standalone one): each test gets its own
 * collections, dropped afterwards.
 */
let mongoRuns = 0;
notificationStoreContract(process.env.TEST_MONGODB_URL ? 'MongoDB' : 'MongoDB (skipped: TEST_MONGODB_URL is not set)', () => {
	const url = process.env.TEST_MONGODB_URL;
	if (!url) return null;
	const prefix = `contract_${process.pid}_${++mongoRuns}_`;
	return {
		open: () => MongoNotificationStore.connect(url, { prefix }),
		dispose: async () => {
			const store = await MongoNotificationStore.connect(url, { prefix });
			await store.drop();
			await store.close();
		}
	};
});

describe('SqliteNotificationStore', () => {
	it('GIVEN a new file THEN it is in WAL mode with synchronous FULL and the parent directory is created', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'notification-store-'));
		const file = join(directory, 'a', 'b', 'notifications.sqlite');
		const store = new SqliteNotificationStore(file);
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

	it('GIVEN a file from before subjects THEN it is migrated and its rows kept', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'notification-store-'));
		const file = join(directory, 'notifications.sqlite');
		const old = new Database(file);
		old.exec(`CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, event_key TEXT NOT NULL, guild_id TEXT NOT NULL, channel_id TEXT NOT NULL,
			body TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
			lease_until INTEGER, worker TEXT, last_error TEXT, message_id TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (event_key, channel_id));
			INSERT INTO outbox (event_key, guild_id, channel_id, body, next_attempt_at, created_at, updated_at) VALUES ('job:old', 'g1', 'c1', '{}', 0, 0, 0);`);
		old.close();
		const store = new SqliteNotificationStore(file);
		try {
			expect((await store.allDeliveries()).map((row) => [row.event_key, row.subject, row.edits_previous])).to.deep.equal([
				['job:old', null, false]
			]);
			await store.insertIfNew(event('job:new'), [draft('c1', { subject: 'live:0_a', editsPrevious: true })]);
			expect((await store.allDeliveries()).map((row) => [row.event_key, row.subject, row.edits_previous])).to.deep.equal([
				['job:old', null, false],
				['job:new', 'live:0_a', true]
			]);
		} finally {
			await store.close();
			rmSync(directory, { recursive: true, force: true });
		}
		// Migrating twice changes nothing.
		const again = new Database(':memory:');
		migrateSqliteSchema(again);
		migrateSqliteSchema(again);
		again.close();
	});

	it('GIVEN a file from before remembered keys THEN its events’ keys are remembered and its payload column takes nulls', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'notification-store-'));
		const file = join(directory, 'notifications.sqlite');
		const old = new Database(file);
		old.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, type TEXT NOT NULL, event_type INTEGER,
			event_object_type TEXT, object_id TEXT, partner_id INTEGER, received_at INTEGER NOT NULL, payload TEXT NOT NULL);
			INSERT INTO events (key, type, received_at, payload) VALUES ('job:before', 'entry.ready', 1700000000000, '{}');`);
		old.close();
		const store = new SqliteNotificationStore(file);
		try {
			expect(await store.prune(1_800_000_000_000)).to.deep.equal({ events: 1, deliveries: 0 });
			expect(await store.insertIfNew(event('job:before'))).to.equal('duplicate');
			expect(await store.insertIfNew(event('job:after', { payload: null }))).to.equal('stored');
			expect((await store.recent(5)).map((stored) => [stored.key, stored.payload])).to.deep.equal([['job:after', null]]);
		} finally {
			await store.close();
			rmSync(directory, { recursive: true, force: true });
		}
	});

	it('GIVEN another process subscribes on the same file THEN the cached subscriptions see it', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'notification-store-'));
		const file = join(directory, 'notifications.sqlite');
		const one = new SqliteNotificationStore(file);
		const other = new SqliteNotificationStore(file);
		try {
			expect(await one.enabledSubscriptionsFor('entry.ready')).to.deep.equal([]);
			await other.subscribe({ guildId: 'g1', channelId: 'c1', events: ['*'], categoryId: null, roleId: null });
			expect((await one.enabledSubscriptionsFor('entry.ready')).map((subscription) => subscription.channelId)).to.deep.equal(['c1']);
			await other.disableSubscription('c1', 'gone');
			expect(await one.enabledSubscriptionsFor('entry.ready')).to.deep.equal([]);
		} finally {
			await one.close();
			await other.close();
			rmSync(directory, { recursive: true, force: true });
		}
	});

	it('GIVEN close() twice THEN the second is harmless', async () => {
		const store = new SqliteNotificationStore(':memory:');
		await store.close();
		await store.close();
	});
});
