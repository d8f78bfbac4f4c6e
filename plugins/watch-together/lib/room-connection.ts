import type { RawData, WebSocket } from 'ws';
import { applyControl, joined, left, newRoom, publicRoom, type StoredRoom } from './room.js';
import { verifySessionToken, type ActivitySession } from './session-token.js';
import { parseClientMessage, type ControlMessage } from './socket-messages.js';
import { CLOSE, HELLO_TIMEOUT_MS, MAX_DROPPED_MESSAGES, MAX_SOCKETS_PER_MEMBER, MessageBucket } from './socket-limits.js';
import type { ActivitySocketServer } from './socket-server.js';

/** How long a member's moderator standing (role mapping) is reused before it is asked again. */
const MODERATOR_FRESH_MS = 30_000;
/** How long a control reuses the last answer that the sender is still in the instance (Discord's answer is cached besides). */
const MEMBER_FRESH_MS = 5_000;

/**
 * One socket of one member. Before `hello`: nothing but the hello is answered, and the socket closes after 5 s.
 * A hello's token must be a session token this bot signed (4001 otherwise), for a served server with the plugin on
 * and an instance Discord says the member is in (4003 otherwise). From then on the socket sees and acts on that one
 * room only; controls are the controller's (or a moderator's, where the server lets moderators control), and a
 * `load` only of an entry the sender's own Kaltura session sees. The socket closes (4004) when its token expires,
 * unless a new hello brings a fresh token first.
 */
export class RoomConnection {
	readonly #ws: WebSocket;
	readonly #server: ActivitySocketServer;
	readonly #bucket = new MessageBucket();
	#session: ActivitySession | undefined;
	#joined = false;
	#closed = false;
	#dropped = 0;
	#timer: NodeJS.Timeout | undefined;
	#moderator: { at: number; value: boolean } | undefined;
	#member: number | undefined;
	/** Messages are handled one at a time, in order: a control never overtakes the hello before it. */
	#queue: Promise<void> = Promise.resolve();
	#authenticated: () => void = () => undefined;

	public constructor(ws: WebSocket, server: ActivitySocketServer) {
		this.#ws = ws;
		this.#server = server;
	}

	/** `onAuthenticated`: called once, when the first hello is admitted or the socket closes without one. */
	public start(onAuthenticated: () => void = () => undefined): void {
		let once = false;
		this.#authenticated = () => {
			if (once) return;
			once = true;
			onAuthenticated();
		};
		this.#timer = setTimeout(() => this.#close(CLOSE.unauthorized, 'hello expected'), HELLO_TIMEOUT_MS);
		this.#ws.on('message', (data, isBinary) => this.#receive(data, isBinary));
		this.#ws.on('close', () => void this.leave());
		this.#ws.on('error', () => undefined);
	}

	public sendText(text: string): void {
		if (this.#joined && this.#ws.readyState === this.#ws.OPEN) this.#ws.send(text);
	}

	/** Leaves the room (once): one socket fewer for the member, and this process's subscription ends with its last socket. */
	public async leave(): Promise<void> {
		clearTimeout(this.#timer);
		if (this.#closed) return;
		this.#closed = true;
		this.#authenticated();
		const session = this.#session;
		// A hello still under way sees #closed after its next step and undoes what it did (#join).
		if (session === undefined || !this.#joined) return;
		await this.#depart(session);
	}

	/** Takes this socket out of the room it joined, and out of this process's sockets of that room. */
	async #depart(session: ActivitySession): Promise<void> {
		this.#joined = false;
		try {
			await this.#server.options.rooms.update(session.instanceId, (room) => (room === undefined ? undefined : left(room, session.userId)));
		} catch (error) {
			this.#server.options.logger.warn(`A participant could not be taken out of room ${session.instanceId}: ${messageOf(error)}`);
		}
		await this.#server.exit(this, session.instanceId);
	}

	#receive(data: RawData, isBinary: boolean): void {
		if (this.#closed) return;
		if (!this.#bucket.take()) {
			this.#dropped += 1;
			if (this.#dropped > MAX_DROPPED_MESSAGES) this.#close(CLOSE.rateLimited, 'too many messages');
			else if (this.#dropped === 1 || this.#dropped % 20 === 0) this.#send({ type: 'error', reason: 'rate_limited' });
			return;
		}
		if (isBinary) return this.#send({ type: 'error', reason: 'invalid_message' });
		const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
		const message = parseClientMessage(text);
		if (typeof message === 'string') return this.#send({ type: 'error', reason: message });
		this.#queue = this.#queue
			.then(async () => {
				if (this.#closed) return;
				if (message.type === 'hello') return await this.#hello(message.token);
				if (this.#session === undefined || !this.#joined) return this.#send({ type: 'error', reason: 'hello_first' });
				if (message.type === 'ping') return this.#send({ type: 'pong', t: message.t, serverNow: Date.now() });
				return await this.#control(this.#session, message);
			})
			.catch((error: unknown) => {
				this.#server.options.logger.warn(`A watch-together socket message failed: ${messageOf(error)}`);
				this.#send({ type: 'error', reason: 'internal_error' });
			});
	}

	async #hello(token: string): Promise<void> {
		const { options } = this.#server;
		const session = verifySessionToken(options.secret, token);
		const previous = this.#session;
		if (session === undefined || (previous !== undefined && (previous.userId !== session.userId || previous.instanceId !== session.instanceId))) {
			return this.#close(CLOSE.unauthorized, 'invalid session');
		}
		if (options.membership === undefined || !(await options.policy.admits(session.guildId))) return this.#close(CLOSE.forbidden, 'not allowed');
		if (this.#closed) return;
		let member: boolean;
		try {
			member = await options.membership.includes(session.instanceId, session.userId, session.guildId);
		} catch {
			return this.#close(CLOSE.tryAgain, 'discord unavailable');
		}
		if (this.#closed) return;
		if (!member) return this.#close(CLOSE.forbidden, 'not in instance');
		this.#member = Date.now();
		this.#session = session;
		this.#expireAt(session.expiresAt * 1000);
		const room = this.#joined ? await options.rooms.get(session.instanceId) : await this.#join(session);
		if (room === undefined || this.#closed) return;
		this.#authenticated();
		this.#send({
			type: 'welcome',
			you: { id: session.userId, controls: await this.#controls(session, room) },
			room: publicRoom(room),
			serverNow: Date.now()
		});
	}

	/** Enters the room (creating it on the first hello of the instance), within the server's participant limit. */
	async #join(session: ActivitySession): Promise<StoredRoom | undefined> {
		const { options } = this.#server;
		if (!this.#server.hasRoomFor(session.instanceId)) return void this.#close(CLOSE.full, 'too many rooms');
		const { maxParticipants } = await options.policy.settings(session.guildId);
		const launch = await options.launches.of(session.instanceId);
		if (this.#closed) return undefined;
		const opening = launch !== undefined && launch.guildId === session.guildId ? launch : undefined;
		try {
			await this.#server.enter(this, session.instanceId);
		} catch (error) {
			options.logger.warn(`A watch-together room could not be followed: ${messageOf(error)}`);
			await this.#server.exit(this, session.instanceId);
			return void this.#close(CLOSE.tryAgain, 'room unavailable');
		}
		if (this.#closed) {
			await this.#server.exit(this, session.instanceId);
			return undefined;
		}
		let refusal: string | undefined;
		const room = await options.rooms.update(session.instanceId, (current) => {
			const base = current ?? newRoom(session.instanceId, opening?.launcherId ?? session.userId, opening?.entryId ?? null, Date.now());
			if (!base.participants.includes(session.userId) && base.participants.length >= maxParticipants) refusal = 'room full';
			// Each socket of a member gets every change: a few devices are a member's, more are an amplifier.
			else if ((base.sockets[session.userId] ?? 0) >= MAX_SOCKETS_PER_MEMBER) refusal = 'too many sockets';
			else return joined(base, session.userId);
			return undefined;
		});
		if (room === undefined) {
			await this.#server.exit(this, session.instanceId);
			return void this.#close(CLOSE.full, refusal ?? 'room unavailable');
		}
		this.#joined = true;
		// Closed while joining: leave() found nothing to undo then, so it is undone here.
		if (this.#closed) return void (await this.#depart(session));
		return room;
	}

	async #control(session: ActivitySession, message: ControlMessage): Promise<void> {
		const { options } = this.#server;
		const refuse = (reason: string) => this.#send({ type: 'refused', id: message.id, reason });
		if (!(await this.#stillMember(session))) return;
		const current = await options.rooms.get(session.instanceId);
		if (current === undefined) return refuse('no_room');
		const moderator = await this.#isModerator(session);
		if (current.controllerId !== session.userId && !moderator) return refuse('not_controller');
		if (message.action === 'load') {
			if (message.entryId === undefined) return refuse('invalid_control');
			if (!(await options.policy.mayWatch(session.guildId, session.userId, message.entryId))) return refuse('not_entitled');
		}
		let refusal = 'no_room';
		const control = { action: message.action, position: message.position, entryId: message.entryId, to: message.to };
		const stored = await options.rooms.update(session.instanceId, (room) => {
			if (room === undefined) return undefined;
			// Checked again inside the atomic step: control may have been handed off since the read above.
			if (room.controllerId !== session.userId && !moderator) return void (refusal = 'not_controller');
			const next = applyControl(room, control, Date.now());
			if ('refused' in next) return void (refusal = next.refused);
			return next;
		});
		if (stored === undefined) refuse(refusal);
	}

	/** Whether the sender is still in the instance: one who left the voice channel loses the room (4003) at their next control. */
	async #stillMember(session: ActivitySession): Promise<boolean> {
		const { membership } = this.#server.options;
		if (this.#member !== undefined && Date.now() - this.#member < MEMBER_FRESH_MS) return true;
		let member: boolean;
		try {
			member = membership !== undefined && (await membership.includes(session.instanceId, session.userId, session.guildId));
		} catch {
			// Discord could not be asked: the hello proved membership, and the next control asks again.
			return true;
		}
		if (!member) {
			this.#close(CLOSE.forbidden, 'not in instance');
			return false;
		}
		this.#member = Date.now();
		return true;
	}

	async #controls(session: ActivitySession, room: StoredRoom): Promise<boolean> {
		return room.controllerId === session.userId || (await this.#isModerator(session));
	}

	async #isModerator(session: ActivitySession): Promise<boolean> {
		const now = Date.now();
		if (this.#moderator !== undefined && now - this.#moderator.at < MODERATOR_FRESH_MS) return this.#moderator.value;
		const { policy } = this.#server.options;
		const value = (await policy.settings(session.guildId)).moderatorsControl && (await policy.isModerator(session.guildId, session.userId));
		this.#moderator = { at: now, value };
		return value;
	}

	#expireAt(ms: number): void {
		clearTimeout(this.#timer);
		// setTimeout holds at most 2^31-1 ms; a session lives 15 minutes.
		this.#timer = setTimeout(() => this.#close(CLOSE.sessionExpired, 'session expired'), Math.max(0, Math.min(ms - Date.now(), 2 ** 31 - 1)));
	}

	#send(message: object): void {
		if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(JSON.stringify(message));
	}

	#close(code: number, reason: string): void {
		if (this.#ws.readyState === this.#ws.OPEN) this.#ws.close(code, reason);
		void this.leave();
	}
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
