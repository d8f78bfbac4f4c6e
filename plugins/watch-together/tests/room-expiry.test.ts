import { expect } from 'chai';
import { createClient } from '@keyv/redis';
import { MemoryRoomStore } from '../lib/memory-room-store.js';
import { RedisRoomStore } from '../lib/redis-room-store.js';
import { joined, left, newRoom } from '../lib/room.js';
import { ACTIVE_ROOM_TTL_MS, IDLE_ROOM_TTL_MS, ttlOf } from '../lib/room-store.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const USER = '333333333333333331';

/** A room outlives its last participant a while (a reload, a dropped connection), then goes. */
describe('watch-together: rooms expire after their last participant leaves', () => {
	it('GIVEN rooms with and without participants THEN the idle one is kept 10 minutes, the busy one 12 hours', () => {
		const room = joined(newRoom('i-1', USER, null, 0), USER);
		expect(ttlOf(room)).to.equal(ACTIVE_ROOM_TTL_MS);
		expect(ttlOf(left(room, USER))).to.equal(IDLE_ROOM_TTL_MS);
	});

	it('GIVEN the last participant leaves a room in memory THEN it is gone once its idle time is over, not before', async () => {
		const store = new MemoryRoomStore((room) => (room.participants.length === 0 ? 100 : 60_000));
		await store.update('i-1', () => joined(newRoom('i-1', USER, null, Date.now()), USER));
		await new Promise((resolve) => setTimeout(resolve, 150));
		expect(await store.get('i-1')).to.not.equal(undefined);
		await store.update('i-1', (room) => (room === undefined ? undefined : left(room, USER)));
		expect((await store.get('i-1'))?.participants).to.deep.equal([]);
		await new Promise((resolve) => setTimeout(resolve, 150));
		expect(await store.get('i-1')).to.equal(undefined);
		await store.close();
	});

	it('GIVEN the last participant leaves a room in Redis THEN its key carries the idle expiry', async function () {
		const probe = createClient({ url: REDIS_URL, socket: { connectTimeout: 500, reconnectStrategy: false } });
		probe.on('error', () => undefined);
		try {
			await probe.connect();
		} catch {
			console.log(`      (skipped: no Redis at ${REDIS_URL})`);
			this.skip();
		}
		const store = await RedisRoomStore.connect(REDIS_URL);
		const instanceId = `i-expiry-${Date.now()}`;
		try {
			await store.update(instanceId, () => joined(newRoom(instanceId, USER, null, Date.now()), USER));
			expect(await probe.pTTL(`watch-together:room:${instanceId}`)).to.be.greaterThan(IDLE_ROOM_TTL_MS);
			await store.update(instanceId, (room) => (room === undefined ? undefined : left(room, USER)));
			const ttl = await probe.pTTL(`watch-together:room:${instanceId}`);
			expect(ttl).to.be.within(IDLE_ROOM_TTL_MS - 5_000, IDLE_ROOM_TTL_MS);
		} finally {
			await store.close();
			if (probe.isOpen) probe.destroy();
		}
	});
});
