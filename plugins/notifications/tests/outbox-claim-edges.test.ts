import { expect } from 'chai';
import { SqliteNotificationStore } from '../lib/store/sqlite-notification-store.js';

/** The outbox's claim logic at its edges: a channel with nothing to send, and a failure reason too long to keep whole. */
describe('notifications: outbox claims at the edges (SQLite)', () => {
	let store: SqliteNotificationStore;

	beforeEach(async () => {
		store = new SqliteNotificationStore(':memory:');
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
	});

	afterEach(() => store.close());

	it('GIVEN a channel with nothing queued, or only delivered rows THEN a claim gets nothing and changes nothing', async () => {
		expect(await store.claimHead('empty', 'worker', 5_000, 6_000)).to.equal(undefined);
		const row = await store.claimHead('c1', 'worker', 5_000, 6_000);
		await store.finish(row!.id, 'worker', { status: 'delivered', messageId: 'm1' }, 5_500);
		expect(await store.claimHead('c1', 'other', 7_000, 8_000)).to.equal(undefined);
		expect((await store.allDeliveries())[0]).to.include({ status: 'delivered', worker: 'worker', claims: 1 });
	});

	it('GIVEN a failure with a long reason THEN its first 500 characters are kept', async () => {
		const row = await store.claimHead('c1', 'worker', 5_000, 6_000);
		await store.finish(row!.id, 'worker', { status: 'failed', error: `${'e'.repeat(500)}TAIL` }, 5_500);
		expect((await store.allDeliveries())[0]!.last_error).to.equal('e'.repeat(500));
	});
});
