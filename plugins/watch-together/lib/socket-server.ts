import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PluginLogger } from '#sdk';
import { publicRoom, type StoredRoom } from './room.js';
import type { InstanceCheck, LaunchLookup, RoomPolicy } from './room-policy.js';
import type { RoomStore } from './room-store.js';
import { RoomConnection } from './room-connection.js';
import {
	CLOSE,
	KEEPALIVE_INTERVAL_MS,
	MAX_MESSAGE_BYTES,
	MAX_ROOMS_PER_PROCESS,
	MAX_UNAUTHENTICATED_PER_ADDRESS,
	SOCKET_PATH
} from './socket-limits.js';

export interface ActivitySocketOptions {
	readonly rooms: RoomStore;
	readonly launches: LaunchLookup;
	/** Undefined when the operator has not set the OAuth2 client: every hello is refused (no session token can exist anyway). */
	readonly membership: InstanceCheck | undefined;
	readonly policy: RoomPolicy;
	/** JWT_SECRET. */
	readonly secret: string;
	readonly logger: PluginLogger;
}

/** The sockets of one room on this process, and its subscription to the room's changes. */
interface LocalRoom {
	readonly connections: Set<RoomConnection>;
	unsubscribe: Promise<() => Promise<void>>;
	lastRev: number;
}

/**
 * The Activity's WebSocket on the bot's own HTTP server, at {@link SOCKET_PATH} only: upgrades to any other path are
 * left to whoever else listens. Anyone on the internet may open it; nothing is shown or done before a `hello` with a
 * session token the bot signed, and then only in the one instance that token names (see room-connection.ts).
 */
export class ActivitySocketServer {
	public readonly options: ActivitySocketOptions;
	readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
	readonly #rooms = new Map<string, LocalRoom>();
	readonly #alive = new WeakSet<WebSocket>();
	/** Sockets per remote address that have not been admitted by a hello yet. */
	readonly #unauthenticated = new Map<string, number>();
	#server: Server | undefined;
	#keepalive: NodeJS.Timeout | undefined;
	readonly #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(request, socket, head);

	public constructor(options: ActivitySocketOptions) {
		this.options = options;
	}

	public attach(server: Server): void {
		this.#server = server;
		server.on('upgrade', this.#onUpgrade);
		this.#keepalive = setInterval(() => this.#ping(), KEEPALIVE_INTERVAL_MS);
		this.#keepalive.unref();
	}

	/** Detaches from the HTTP server and closes every socket (1001, going away). */
	public async close(): Promise<void> {
		this.#server?.off('upgrade', this.#onUpgrade);
		this.#server = undefined;
		clearInterval(this.#keepalive);
		for (const client of this.#wss.clients) client.close(CLOSE.goingAway, 'server stopping');
		const leaving = [...this.#rooms.values()].flatMap((room) => [...room.connections].map((connection) => connection.leave()));
		await Promise.allSettled(leaving);
		for (const client of this.#wss.clients) client.terminate();
		await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
	}

	/** Sockets open on this process. */
	public get connectionCount(): number {
		return this.#wss.clients.size;
	}

	/** Rooms with sockets on this process. */
	public get roomCount(): number {
		return this.#rooms.size;
	}

	/** Whether one more room fits on this process (one it already holds always does). */
	public hasRoomFor(instanceId: string): boolean {
		return this.#rooms.has(instanceId) || this.#rooms.size < MAX_ROOMS_PER_PROCESS;
	}

	/** Registers a connection with its room on this process, subscribing to the room's changes with the first one. */
	public async enter(connection: RoomConnection, instanceId: string): Promise<void> {
		let local = this.#rooms.get(instanceId);
		if (local === undefined) {
			const created: LocalRoom = { connections: new Set(), unsubscribe: Promise.resolve(async () => undefined), lastRev: -1 };
			created.unsubscribe = this.options.rooms.subscribe(instanceId, (room) => this.#broadcast(created, room));
			// A failed subscription is forgotten, so the room's next socket subscribes again instead of awaiting this failure.
			created.unsubscribe.catch(() => {
				if (this.#rooms.get(instanceId) === created) this.#rooms.delete(instanceId);
			});
			local = created;
			this.#rooms.set(instanceId, created);
		}
		local.connections.add(connection);
		await local.unsubscribe;
	}

	/** Unregisters a connection; the last one of a room ends this process's subscription. */
	public async exit(connection: RoomConnection, instanceId: string): Promise<void> {
		const local = this.#rooms.get(instanceId);
		if (local === undefined || !local.connections.delete(connection) || local.connections.size > 0) return;
		this.#rooms.delete(instanceId);
		const unsubscribe = await local.unsubscribe.catch(() => undefined);
		await unsubscribe?.();
	}

	/** Every change to the room, to each of its sockets here, serialised once; a change older than one already sent is dropped. */
	#broadcast(local: LocalRoom, room: StoredRoom): void {
		if (room.rev <= local.lastRev) return;
		local.lastRev = room.rev;
		const text = JSON.stringify({ type: 'state', room: publicRoom(room) });
		for (const connection of local.connections) connection.sendText(text);
	}

	#upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		const path = (request.url ?? '').split('?')[0];
		if (path !== SOCKET_PATH) {
			// Another path is another listener's; with none, Node would have destroyed the socket, so this does too.
			if ((this.#server?.listenerCount('upgrade') ?? 0) <= 1) socket.destroy();
			return;
		}
		// The peer's own address: a proxy's forwarding headers are anyone's to write.
		const address = request.socket.remoteAddress ?? 'unknown';
		const pending = this.#unauthenticated.get(address) ?? 0;
		if (pending >= MAX_UNAUTHENTICATED_PER_ADDRESS) {
			socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		this.#unauthenticated.set(address, pending + 1);
		let counted = true;
		const release = () => {
			if (!counted) return;
			counted = false;
			this.#admitted(address);
		};
		// A handshake that fails never makes a connection: its closing socket releases the count.
		socket.once('close', release);
		this.#wss.handleUpgrade(request, socket, head, (ws) => {
			this.#alive.add(ws);
			ws.on('pong', () => this.#alive.add(ws));
			new RoomConnection(ws, this).start(release);
		});
	}

	#admitted(address: string): void {
		const pending = (this.#unauthenticated.get(address) ?? 1) - 1;
		if (pending > 0) this.#unauthenticated.set(address, pending);
		else this.#unauthenticated.delete(address);
	}

	#ping(): void {
		for (const ws of this.#wss.clients) {
			if (!this.#alive.has(ws)) {
				ws.terminate();
				continue;
			}
			this.#alive.delete(ws);
			ws.ping();
		}
	}
}
