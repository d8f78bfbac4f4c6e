import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayCloseCodes, GatewayOpcodes } from 'discord-api-types/v10';
import type { GatewayIdentifyData, GatewayRequestGuildMembersData, GatewayResumeData } from 'discord-api-types/v10';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { GatewayIdentify } from './identify.js';
import { GatewayConnection } from './session.js';

const MAX_RECEIVED_LOG = 10_000;

/**
 * The gateway: HELLO / HEARTBEAT / IDENTIFY / RESUME over JSON text frames, sessions
 * with sequence numbers and a replay buffer, intent filtering, and typed dispatch helpers.
 */
export class GatewayServer extends GatewayIdentify {
	readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
	#nextConnectionId = 1;

	// ------------------------------------------------------------------------- connections

	public handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		this.#wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, request));
	}

	private onConnection(ws: WebSocket, request: IncomingMessage): void {
		const url = new URL(request.url ?? '/', 'http://localhost');
		const connection = new GatewayConnection(this.#nextConnectionId++, ws, url.pathname, url.searchParams);
		this.connections.add(connection);
		ws.on('message', (data, isBinary) => this.onMessage(connection, data, isBinary));
		ws.on('close', (code) => this.onClose(connection, code));
		ws.on('error', () => undefined);

		const version = url.searchParams.get('v');
		const encoding = url.searchParams.get('encoding') ?? 'json';
		if (encoding !== 'json') {
			this.refuse(connection, GatewayCloseCodes.DecodeError, `encoding=${encoding} is not supported by the Discord stand-in (JSON only)`);
			return;
		}
		if (version !== null && version !== '10') {
			this.refuse(connection, GatewayCloseCodes.InvalidAPIVersion, `Invalid API version ${version}`);
			return;
		}
		// compress=zlib-stream is accepted and ignored: frames stay uncompressed JSON text,
		// which @discordjs/ws parses regardless of the compression it asked for.
		connection.send(GatewayOpcodes.Hello, { heartbeat_interval: this.options.heartbeatIntervalMs });
		this.context.notifier.notify();
	}

	private onClose(connection: GatewayConnection, code: number): void {
		connection.closed = true;
		connection.closeCode ??= code;
		this.connections.delete(connection);
		const session = connection.session;
		if (session && session.connection === connection) {
			session.connection = null;
			// "When you close the connection to the gateway with close code 1000 or 1001, your session will be
			// invalidated" (discord-api-docs developers/events/gateway.mdx, "Initiating a Disconnect"); any other close
			// keeps it resumable, from any connection, with its shard.
			if (code === 1000 || code === 1001) session.invalidated = true;
		}
		this.context.notifier.notify();
	}

	private onMessage(connection: GatewayConnection, data: RawData, isBinary: boolean): void {
		if (connection.closed) return;
		const text = isBinary ? undefined : rawToString(data);
		if (text === undefined || Buffer.byteLength(text) > 4096) {
			this.refuse(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
			return;
		}
		let payload: { op?: unknown; d?: unknown };
		try {
			payload = JSON.parse(text) as { op?: unknown; d?: unknown };
		} catch {
			this.refuse(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
			return;
		}
		const op = typeof payload.op === 'number' ? payload.op : -1;
		this.log(connection, op, payload.d);

		if (op !== GatewayOpcodes.Heartbeat && !connection.countSend(this.options.sendLimit)) {
			this.refuse(connection, GatewayCloseCodes.RateLimited, 'You are being rate limited.');
			return;
		}

		switch (op) {
			case GatewayOpcodes.Heartbeat:
				connection.heartbeats += 1;
				if (this.options.ackHeartbeats) connection.send(GatewayOpcodes.HeartbeatAck, undefined);
				this.context.notifier.notify();
				return;
			case GatewayOpcodes.Identify:
				this.onIdentify(connection, payload.d as GatewayIdentifyData);
				return;
			case GatewayOpcodes.Resume:
				this.onResume(connection, payload.d as GatewayResumeData);
				return;
			default:
				break;
		}
		if (!connection.session) {
			this.refuse(connection, GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
			return;
		}
		switch (op) {
			case GatewayOpcodes.PresenceUpdate:
				connection.session.presence = payload.d;
				return;
			case GatewayOpcodes.VoiceStateUpdate:
			case GatewayOpcodes.RequestSoundboardSounds:
				return;
			case GatewayOpcodes.RequestGuildMembers:
				this.onRequestGuildMembers(connection.session, payload.d as GatewayRequestGuildMembersData);
				return;
			default:
				this.refuse(connection, GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
		}
	}

	private log(connection: GatewayConnection, op: number, d: unknown): void {
		this.received.push({ at: Date.now(), connectionId: connection.id, sessionId: connection.session?.id ?? null, op, d });
		if (this.received.length > MAX_RECEIVED_LOG) this.received.splice(0, this.received.length - MAX_RECEIVED_LOG);
	}

	// ------------------------------------------------------------------------- fault injection

	/**
	 * Drops every client connection server-side, keeping the sessions resumable.
	 * Without `code` the TCP connection is cut (the client sees 1006); with a code, a close
	 * frame is sent (4000 → discord.js resumes, 1000 → it re-identifies, 4004 → fatal …).
	 */
	public dropConnections(options: { code?: number; reason?: string } = {}): number {
		let count = 0;
		for (const connection of [...this.connections]) {
			const session = connection.session;
			if (session && session.connection === connection) session.connection = null;
			if (options.code === undefined) {
				connection.closed = true;
				connection.ws.terminate();
			} else {
				connection.close(options.code, options.reason ?? 'Dropped by the Discord stand-in');
			}
			this.connections.delete(connection);
			count += 1;
		}
		this.context.notifier.notify();
		return count;
	}

	/** Sends op 7 RECONNECT to every connection (clients then resume). */
	public requestReconnect(): void {
		for (const connection of this.connections) connection.send(GatewayOpcodes.Reconnect, null);
	}

	/** Sends op 9 INVALID_SESSION; with `resumable: false` the sessions are also discarded. */
	public invalidateSessions(resumable = false): void {
		for (const connection of this.connections) connection.send(GatewayOpcodes.InvalidSession, resumable);
		if (!resumable) for (const session of this.sessions.values()) session.invalidated = true;
		this.context.notifier.notify();
	}

	public async close(): Promise<void> {
		for (const connection of this.connections) {
			connection.closed = true;
			connection.ws.terminate();
		}
		this.connections.clear();
		await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
	}
}

function rawToString(data: RawData): string {
	if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
	if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
	return data.toString('utf8');
}
