import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { MemoryRoomStore } from '../plugins/watch-together/lib/memory-room-store.js';
import type { RoomPolicy } from '../plugins/watch-together/lib/room-policy.js';
import { issueSessionToken } from '../plugins/watch-together/lib/session-token.js';
import { SOCKET_PATH } from '../plugins/watch-together/lib/socket-limits.js';
import { ActivitySocketServer } from '../plugins/watch-together/lib/socket-server.js';
import { percentile } from './stats.js';

const PARTICIPANTS = Number(process.env.BENCH_ACTIVITY_PARTICIPANTS ?? 500);
const CONTROLS = 60;
const SECRET = 'bench-activity-room-secret-long-enough-for-hs256';
const GUILD = '111111111111111111';
const CHANNEL = '222222222222222222';
const INSTANCE = `i-1-gc-${GUILD}-${CHANNEL}`;

/** Everyone admitted, nobody moderates: the bench measures the room, not Discord or Kaltura. */
const openPolicy: RoomPolicy = {
	admits: () => Promise.resolve(true),
	settings: () => Promise.resolve({ moderatorsControl: false, maxParticipants: 1_000 }),
	isModerator: () => Promise.resolve(false),
	mayWatch: () => Promise.resolve(true)
};

/**
 * The participants, in a worker thread (its own V8 heap, so the main thread's heap is the server's alone): opens every
 * socket and says hello, then the first one (the controller) seeks CONTROLS times, each once the previous state has
 * reached everyone, and reports when each socket received each state (performance.timeOrigin + now(): one clock for
 * both threads).
 */
const PARTICIPANTS_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const { WebSocket } = require(workerData.wsPath);
const now = () => performance.timeOrigin + performance.now();
(async () => {
	const sockets = [];
	const received = [];
	const waiting = new Map();
	for (let index = 0; index < workerData.tokens.length; index++) {
		const ws = new WebSocket(workerData.url);
		await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
		const welcomed = new Promise((resolve) => ws.on('message', (data) => {
			const message = JSON.parse(String(data));
			if (message.type === 'welcome') resolve();
			if (message.type === 'state' && typeof message.room.position === 'number' && message.room.position >= 1000) {
				const round = message.room.position - 1000;
				(received[round] ??= []).push(now());
				const done = waiting.get(round);
				if (done && received[round].length === workerData.tokens.length) done();
			}
		}));
		ws.send(JSON.stringify({ type: 'hello', token: workerData.tokens[index] }));
		await welcomed;
		sockets.push(ws);
	}
	parentPort.postMessage({ type: 'joined' });
	await new Promise((resolve) => parentPort.once('message', resolve));
	// A room opens without a video unless /watch launched it; seeking needs one.
	sockets[0].send(JSON.stringify({ type: 'control', id: 'load', action: 'load', entryId: '1_abcdefgh' }));
	await new Promise((resolve) => setTimeout(resolve, 500));
	const sent = [];
	for (let round = 0; round < workerData.controls; round++) {
		const all = new Promise((resolve) => waiting.set(round, resolve));
		sent.push(now());
		sockets[0].send(JSON.stringify({ type: 'control', id: round, action: 'seek', position: 1000 + round }));
		await all;
		// Under the socket's rate limit (20 a second): a controller does not seek faster than that.
		await new Promise((resolve) => setTimeout(resolve, 60));
	}
	parentPort.postMessage({ type: 'done', sent, received });
	for (const ws of sockets) ws.terminate();
})().catch((error) => parentPort.postMessage({ type: 'error', message: String(error && error.stack || error) }));
`;

function collectGarbage(): void {
	setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as () => void;
	gc();
	gc();
}

/** One room, PARTICIPANTS real sockets: control → last participant's state (p50, p99), and the server's heap for the room. */
export async function benchActivityRoom(): Promise<Record<string, string | number>> {
	const http = createServer((_request, response) => response.writeHead(404).end());
	const rooms = new MemoryRoomStore();
	const sockets = new ActivitySocketServer({
		rooms,
		launches: { of: () => Promise.resolve(undefined) },
		membership: { includes: () => Promise.resolve(true) },
		policy: openPolicy,
		secret: SECRET,
		logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }
	});
	sockets.attach(http);
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}${SOCKET_PATH}`;
	const tokens = Array.from({ length: PARTICIPANTS }, (_, index) =>
		issueSessionToken(
			SECRET,
			{ userId: String(300_000_000_000_000_000n + BigInt(index)), instanceId: INSTANCE, guildId: GUILD, channelId: CHANNEL },
			3600
		)
	);
	collectGarbage();
	const heapBefore = process.memoryUsage().heapUsed;
	const worker = new Worker(PARTICIPANTS_SCRIPT, {
		eval: true,
		workerData: { url, tokens, controls: CONTROLS, wsPath: createRequire(import.meta.url).resolve('ws') }
	});
	const failed = new Promise<never>((_, reject) => {
		worker.once('error', reject);
		worker.once('exit', (code) => reject(new Error(`The participants' worker exited (${code})`)));
	});
	const next = () =>
		Promise.race([
			failed,
			new Promise<{ type: string; sent?: number[]; received?: number[][]; message?: string }>((resolve) => worker.once('message', resolve))
		]);
	let message = await next();
	if (message.type === 'error') throw new Error(message.message);
	collectGarbage();
	const heapRoom = process.memoryUsage().heapUsed - heapBefore;
	worker.postMessage('go');
	message = await next();
	if (message.type !== 'done') throw new Error(message.message ?? 'the participants failed');
	const sent = message.sent ?? [];
	const received = message.received ?? [];
	const toLast = received.map((times, round) => Math.max(...times) - (sent[round] ?? 0)).sort((a, b) => a - b);
	const toEach = received.flatMap((times, round) => times.map((time) => time - (sent[round] ?? 0))).sort((a, b) => a - b);
	await worker.terminate();
	await sockets.close();
	await rooms.close();
	http.closeAllConnections();
	await new Promise<void>((resolve) => http.close(() => resolve()));
	return {
		participants: PARTICIPANTS,
		controls: CONTROLS,
		'control → last participant p50': `${percentile(toLast, 50).toFixed(2)} ms`,
		'control → last participant p99': `${percentile(toLast, 99).toFixed(2)} ms`,
		'control → each participant p50': `${percentile(toEach, 50).toFixed(2)} ms`,
		'control → each participant p99': `${percentile(toEach, 99).toFixed(2)} ms`,
		[`server heap for the room (${PARTICIPANTS} sockets)`]: `${(heapRoom / 1024 / 1024).toFixed(2)} MiB (${Math.round(heapRoom / PARTICIPANTS / 1024)} KiB per participant)`
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	for (const [label, value] of Object.entries(await benchActivityRoom())) console.log(`  ${label}: ${value}`);
}
