import { expect } from 'chai';
import { createClient } from '@keyv/redis';
import { WebSocket } from 'ws';
import { issueSessionToken } from '../lib/session-token.js';
import { MemoryRoomStore } from '../lib/memory-room-store.js';
import { RedisRoomStore } from '../lib/redis-room-store.js';
import { ActivitySocket, type RoomShape } from './activity-client.js';
import { ROOM_SECRET, RoomServer } from './room-servers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const GUILD = '111111111111111111';
const CHANNEL = '222222222222222222';
const [ALICE, BOB] = ['333333333333333331', '333333333333333332'];

/** Redis at REDIS_URL (default 127.0.0.1:6379), or the suite is skipped with a notice. */
async function redisAvailable(): Promise<boolean> {
	const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 500, reconnectStrategy: false } });
	client.on('error', () => undefined);
	try {
		await client.connect();
		await client.ping();
		return true;
	} catch {
		return false;
	} finally {
		if (client.isOpen) client.destroy();
	}
}

const tokenFor = (userId: string, instanceId: string) => issueSessionToken(ROOM_SECRET, { userId, instanceId, guildId: GUILD, channelId: CHANNEL });
const welcomed = async (url: string, userId: string, instanceId: string) => {
	const socket = await ActivitySocket.open(url);
	socket.hello(tokenFor(userId, instanceId));
	return { socket, welcome: await socket.next('welcome') };
};

describe('watch-together: rooms shared by two processes through Redis', function () {
	this.timeout(30_000);
	let first: RoomServer;
	let second: RoomServer;
	const sockets: ActivitySocket[] = [];

	before(async function () {
		if (!(await redisAvailable())) {
			console.log(`      (skipped: no Redis at ${REDIS_URL})`);
			this.skip();
		}
		// Two stores, two connections, two HTTP servers: what two bot processes on one Redis hold.
		first = await RoomServer.start(await RedisRoomStore.connect(REDIS_URL));
		second = await RoomServer.start(await RedisRoomStore.connect(REDIS_URL));
	});
	after(async () => {
		for (const socket of sockets) socket.close();
		await first?.stop();
		await second?.stop();
	});

	it('GIVEN members of one instance on two processes THEN they see one room: participants, controls and their state', async () => {
		const instanceId = `i-${Date.now()}-gc-${GUILD}-${CHANNEL}`;
		const alice = await welcomed(first.url, ALICE, instanceId);
		const bob = await welcomed(second.url, BOB, instanceId);
		sockets.push(alice.socket, bob.socket);
		expect((alice.welcome.room as RoomShape).controllerId).to.equal(ALICE);
		expect((bob.welcome.room as RoomShape).participants).to.deep.equal([ALICE, BOB]);
		await alice.socket.state((room) => room.participants.includes(BOB));
		alice.socket.send({ type: 'control', id: 1, action: 'load', entryId: '1_abcdefgh' });
		alice.socket.send({ type: 'control', id: 2, action: 'play', position: 5 });
		const seen = await bob.socket.state((room) => room.playing && room.entryId === '1_abcdefgh');
		expect(seen.position).to.equal(5);
		// Control from the other process is refused there, and nothing reaches the first.
		const from = alice.socket.messages.length;
		bob.socket.send({ type: 'control', id: 3, action: 'pause' });
		expect(await bob.socket.refusal(3)).to.deep.include({ reason: 'not_controller' });
		alice.socket.send({ type: 'control', id: 4, action: 'handoff', to: BOB });
		await bob.socket.state((room) => room.controllerId === BOB);
		bob.socket.send({ type: 'control', id: 5, action: 'pause', position: 7 });
		const paused = await alice.socket.state((room) => !room.playing, from);
		expect(paused).to.include({ position: 7, controllerId: BOB });
		// A member who leaves on one process leaves the room everyone sees.
		bob.socket.close();
		await alice.socket.state((room) => !room.participants.includes(BOB), from);
	});

	it('GIVEN a reconnect to the other process THEN the welcome carries the room as it is', async () => {
		const instanceId = `i-${Date.now()}-gc-${GUILD}-${CHANNEL}-b`;
		const alice = await welcomed(first.url, ALICE, instanceId);
		sockets.push(alice.socket);
		alice.socket.send({ type: 'control', id: 1, action: 'load', entryId: '1_zzzzzzzz' });
		await alice.socket.state((room) => room.entryId === '1_zzzzzzzz');
		alice.socket.close();
		const again = await welcomed(second.url, ALICE, instanceId);
		sockets.push(again.socket);
		expect(again.welcome.room as RoomShape).to.include({ entryId: '1_zzzzzzzz', controllerId: ALICE });
		expect(again.welcome.you).to.deep.equal({ id: ALICE, controls: true });
	});
});

describe('watch-together: the socket’s limits (one process, rooms in memory)', function () {
	this.timeout(30_000);
	let server: RoomServer;

	before(async () => {
		server = await RoomServer.start(new MemoryRoomStore());
	});
	after(async () => {
		await server?.stop();
	});

	it('GIVEN a message larger than 4 KB THEN the socket is closed 1009 (message too big)', async () => {
		const socket = await ActivitySocket.open(server.url);
		socket.send({ type: 'hello', token: 'x'.repeat(5_000) });
		expect((await socket.closedWithin()).code).to.equal(1009);
	});

	it('GIVEN a flood of messages THEN rate_limited errors, then close 4008', async () => {
		const socket = await ActivitySocket.open(server.url);
		for (let i = 0; i < 200; i += 1) socket.send({ type: 'ping', t: i });
		expect(await socket.first((message) => message.reason === 'rate_limited')).to.deep.equal({ type: 'error', reason: 'rate_limited' });
		expect((await socket.closedWithin()).code).to.equal(4008);
	});

	it('GIVEN an upgrade to another path THEN the socket server leaves it alone', async () => {
		const other = new WebSocket(server.url.replace('/activity/socket', '/elsewhere'));
		const outcome = await new Promise<string>((resolve) => {
			other.once('open', () => resolve('open'));
			other.once('error', () => resolve('error'));
			setTimeout(() => resolve('pending'), 1_000);
		});
		other.terminate();
		expect(outcome).to.not.equal('open');
	});

	it('GIVEN a stopped socket server THEN its upgrade listener is gone from the HTTP server', async () => {
		const extra = await RoomServer.start(new MemoryRoomStore());
		expect(extra.http.listenerCount('upgrade')).to.equal(1);
		await extra.sockets.close();
		expect(extra.http.listenerCount('upgrade')).to.equal(0);
		await extra.stop();
	});
});
