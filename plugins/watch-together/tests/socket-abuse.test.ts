import { expect } from 'chai';
import { issueSessionToken } from '../lib/session-token.js';
import { MemoryRoomStore } from '../lib/memory-room-store.js';
import type { RoomPolicy } from '../lib/room-policy.js';
import type { RoomStore } from '../lib/room-store.js';
import { MAX_SOCKETS_PER_MEMBER, MAX_UNAUTHENTICATED_PER_ADDRESS } from '../lib/socket-limits.js';
import { ActivitySocket } from './activity-client.js';
import { openPolicy, ROOM_SECRET, RoomServer } from './room-servers.js';

const GUILD = '111111111111111111';
const CHANNEL = '222222222222222222';
const ALICE = '333333333333333331';

const tokenFor = (userId: string, instanceId: string) => issueSessionToken(ROOM_SECRET, { userId, instanceId, guildId: GUILD, channelId: CHANNEL });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let instances = 0;
const newInstance = () => `i-${Date.now()}${(instances += 1)}-gc-${GUILD}-${CHANNEL}`;

/** What one client can make the socket server hold: rooms, seats, subscriptions and sockets beyond what it uses. */
describe('watch-together: socket abuse', function () {
	this.timeout(30_000);
	const servers: RoomServer[] = [];
	const sockets: ActivitySocket[] = [];
	const start = async (rooms: RoomStore, policy?: RoomPolicy) => {
		const server = await RoomServer.start(rooms, policy);
		servers.push(server);
		return server;
	};
	const open = async (server: RoomServer) => {
		const socket = await ActivitySocket.open(server.url);
		sockets.push(socket);
		return socket;
	};
	afterEach(async () => {
		for (const socket of sockets.splice(0)) socket.close();
		for (const server of servers.splice(0)) await server.stop();
	});

	it('ATTACK: sockets closed in the middle of their hello THEN none stays in the room, and the process holds no room', async () => {
		const rooms = new MemoryRoomStore();
		// Asking the server's settings takes a moment, as it does with a real guild config: the close lands inside the hello.
		const slow: RoomPolicy = { ...openPolicy, settings: async (guildId) => (await pause(30), openPolicy.settings(guildId)) };
		const server = await start(rooms, slow);
		const instanceId = newInstance();
		for (let i = 0; i < 20; i += 1) {
			const socket = await open(server);
			socket.hello(tokenFor(ALICE, instanceId));
			socket.close();
			await socket.closedWithin();
		}
		await pause(300);
		const room = await rooms.get(instanceId);
		expect(room?.participants ?? []).to.not.include(ALICE);
		expect(room?.sockets[ALICE]).to.equal(undefined);
		expect(server.sockets.roomCount).to.equal(0);
	});

	it(`ATTACK: one member opens more than ${MAX_SOCKETS_PER_MEMBER} sockets into a room THEN the next is closed 4005`, async () => {
		const rooms = new MemoryRoomStore();
		const server = await start(rooms);
		const instanceId = newInstance();
		for (let i = 0; i < MAX_SOCKETS_PER_MEMBER; i += 1) {
			const socket = await open(server);
			socket.hello(tokenFor(ALICE, instanceId));
			await socket.next('welcome');
		}
		const extra = await open(server);
		extra.hello(tokenFor(ALICE, instanceId));
		expect((await extra.closedWithin()).code).to.equal(4005);
		expect((await rooms.get(instanceId))?.sockets[ALICE]).to.equal(MAX_SOCKETS_PER_MEMBER);
	});

	it(`ATTACK: ${MAX_UNAUTHENTICATED_PER_ADDRESS} sockets from one address never say hello THEN the next upgrade is refused 429`, async () => {
		const server = await start(new MemoryRoomStore());
		const waiting: ActivitySocket[] = [];
		for (let i = 0; i < MAX_UNAUTHENTICATED_PER_ADDRESS; i += 1) waiting.push(await open(server));
		let refusal: unknown;
		await open(server).catch((error: unknown) => (refusal = error));
		expect(String(refusal)).to.match(/429/);
		// A hello frees the address's place.
		waiting[0]?.hello(tokenFor(ALICE, newInstance()));
		await waiting[0]?.next('welcome');
		const next = await open(server);
		next.hello(tokenFor(ALICE, newInstance()));
		await next.next('welcome');
	});

	it('GIVEN subscribing to a room fails once THEN the next socket of that room subscribes again and is welcomed', async () => {
		const memory = new MemoryRoomStore();
		let failures = 1;
		const flaky: RoomStore = {
			get: (id) => memory.get(id),
			update: (id, change) => memory.update(id, change),
			subscribe: (id, listener) => (failures-- > 0 ? Promise.reject(new Error('redis unavailable')) : memory.subscribe(id, listener)),
			close: () => memory.close()
		};
		const server = await start(flaky);
		const instanceId = newInstance();
		const first = await open(server);
		first.hello(tokenFor(ALICE, instanceId));
		expect((await first.closedWithin()).code).to.equal(1013);
		const second = await open(server);
		second.hello(tokenFor(ALICE, instanceId));
		expect((await second.next('welcome')).type).to.equal('welcome');
	});
});
