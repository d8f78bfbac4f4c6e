import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { InstanceCheck, LaunchLookup, RoomPolicy } from '../lib/room-policy.js';
import type { RoomStore } from '../lib/room-store.js';
import { SOCKET_PATH } from '../lib/socket-limits.js';
import { ActivitySocketServer } from '../lib/socket-server.js';

export const ROOM_SECRET = 'room-server-test-secret-long-enough-for-hs256!';

/** A server that admits everyone Discord counts in (here: everyone), where nobody moderates and every entry may be watched. */
export const openPolicy: RoomPolicy = {
	admits: () => Promise.resolve(true),
	settings: () => Promise.resolve({ moderatorsControl: false, maxParticipants: 1_000 }),
	isModerator: () => Promise.resolve(false),
	mayWatch: () => Promise.resolve(true)
};
export const everyoneInInstance: InstanceCheck = { includes: () => Promise.resolve(true) };
export const noLaunches: LaunchLookup = { of: () => Promise.resolve(undefined) };

/** The plugin's socket server on an HTTP server of its own: one "process" of the bot, as far as rooms go. */
export class RoomServer {
	/** Every TCP connection, upgraded or not: closeAllConnections() does not reach an upgraded one. */
	readonly #connections = new Set<Socket>();

	private constructor(
		public readonly http: Server,
		public readonly sockets: ActivitySocketServer
	) {
		http.on('connection', (socket) => {
			this.#connections.add(socket);
			socket.once('close', () => this.#connections.delete(socket));
		});
	}

	public static async start(rooms: RoomStore, policy: RoomPolicy = openPolicy): Promise<RoomServer> {
		const http = createServer((_request, response) => response.writeHead(404).end());
		const sockets = new ActivitySocketServer({
			rooms,
			launches: noLaunches,
			membership: everyoneInInstance,
			policy,
			secret: ROOM_SECRET,
			logger: console
		});
		sockets.attach(http);
		await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
		return new RoomServer(http, sockets);
	}

	public get url(): string {
		return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}${SOCKET_PATH}`;
	}

	public async stop(): Promise<void> {
		await this.sockets.close();
		for (const socket of this.#connections) socket.destroy();
		await new Promise<void>((resolve) => this.http.close(() => resolve()));
	}
}
