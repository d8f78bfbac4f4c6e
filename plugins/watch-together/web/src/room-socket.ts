import { ClockOffset } from './clock.js';
import type { ControlAction, ControlArgs, Room, ServerMessage } from './types.js';

/** Close codes the bot uses: a bad or expired session token, and a member no longer in the instance. */
export const CLOSE_BAD_TOKEN = 4001;
export const CLOSE_NOT_IN_INSTANCE = 4003;

/** Pings at connect (quick, to find a short round trip), then now and then to follow clock drift. */
const FIRST_PINGS = 5;
const FIRST_PING_GAP_MS = 150;
const PING_EVERY_MS = 5_000;
const CONTROL_TIMEOUT_MS = 5_000;
const RECONNECT_MAX_MS = 5_000;
/** Refusals as "not in the instance" tried again, and how far apart. */
const ABSENT_RETRIES = 3;
const ABSENT_RETRY_MS = 2_000;

export type ControlResult = { readonly ok: true; readonly room: Room } | { readonly ok: false; readonly reason: string };

export interface RoomSocketEvents {
	/** The room changed (welcome or state). */
	room(room: Room, you: { id: string; controls: boolean }): void;
	/** The socket opened or closed. */
	connection(connected: boolean): void;
	/** The bot refused the session token: a fresh one is needed before trying again. */
	renewToken(): Promise<string>;
	/** The bot closed for good (the member left the instance). */
	ended(reason: string): void;
}

/**
 * The room socket: hello with the session token, the room's state as it changes, clock samples from ping/pong,
 * and control requests. It reconnects by itself and says hello again, so a brief drop or a reload rejoins the room.
 */
export class RoomSocket {
	public readonly clock = new ClockOffset();
	#socket: WebSocket | undefined;
	#token: string;
	#room: Room | undefined;
	#you = { id: '', controls: false };
	#connected = false;
	#moderator = false;
	#absentRefusals = 0;
	#stopped = false;
	#attempt = 0;
	#nextId = 1;
	readonly #pending = new Map<string, (result: ControlResult) => void>();
	#pingTimer: ReturnType<typeof setTimeout> | undefined;

	public constructor(
		private readonly url: string,
		token: string,
		private readonly events: RoomSocketEvents
	) {
		this.#token = token;
	}

	public get room(): Room | undefined {
		return this.#room;
	}

	public get you(): { id: string; controls: boolean } {
		return this.#you;
	}

	public get connected(): boolean {
		return this.#connected;
	}

	public connect(): void {
		if (this.#stopped) return;
		const socket = new WebSocket(this.url);
		this.#socket = socket;
		socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'hello', token: this.#token })));
		socket.addEventListener('message', (event) => this.#receive(String(event.data)));
		socket.addEventListener('close', (event) => void this.#closed(event.code, event.reason));
	}

	/** Asks the bot for a change; settles with the new room, or the bot's reason for refusing it. */
	public control(action: ControlAction, args: ControlArgs = {}): Promise<ControlResult> {
		const socket = this.#socket;
		if (!this.#connected || socket === undefined) return Promise.resolve({ ok: false, reason: 'not_connected' });
		const id = String(this.#nextId++);
		return new Promise((settle) => {
			const timer = setTimeout(() => this.#settle(id, { ok: false, reason: 'timeout' }), CONTROL_TIMEOUT_MS);
			this.#pending.set(id, (result) => {
				clearTimeout(timer);
				settle(result);
			});
			socket.send(JSON.stringify({ type: 'control', id, action, ...args }));
		});
	}

	public stop(): void {
		this.#stopped = true;
		clearTimeout(this.#pingTimer);
		this.#socket?.close(1000);
	}

	#receive(text: string): void {
		const received = Date.now();
		let message: ServerMessage;
		try {
			message = JSON.parse(text) as ServerMessage;
		} catch {
			return;
		}
		switch (message.type) {
			case 'welcome':
				this.#attempt = 0;
				this.#absentRefusals = 0;
				this.#connected = true;
				this.#you = { ...message.you };
				// Controls without holding the room: a moderator, who may steer whoever holds it.
				this.#moderator = message.you.controls && message.room.controllerId !== message.you.id;
				this.clock.seed(received, message.serverNow);
				this.events.connection(true);
				this.#setRoom(message.room);
				this.#schedulePings(0);
				break;
			case 'pong':
				this.clock.sample(message.t, received, message.serverNow);
				break;
			case 'state':
				this.#setRoom(message.room);
				// The bot answers an accepted control with the new state only: the oldest request waiting is settled by it.
				this.#settleOldest({ ok: true, room: message.room });
				break;
			case 'refused':
				this.#settle(message.id, { ok: false, reason: message.reason });
				break;
		}
	}

	#setRoom(room: Room): void {
		if (this.#room !== undefined && room.instanceId === this.#room.instanceId && room.rev < this.#room.rev) return;
		this.#room = room;
		this.#you = { id: this.#you.id, controls: room.controllerId === this.#you.id || this.#moderator };
		this.events.room(room, this.#you);
	}

	#schedulePings(sent: number): void {
		clearTimeout(this.#pingTimer);
		const delay = sent < FIRST_PINGS ? FIRST_PING_GAP_MS : PING_EVERY_MS;
		this.#pingTimer = setTimeout(() => {
			if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify({ type: 'ping', t: Date.now() }));
			this.#schedulePings(sent + 1);
		}, delay);
	}

	#settle(id: string, result: ControlResult): void {
		const settle = this.#pending.get(id);
		if (settle === undefined) return;
		this.#pending.delete(id);
		settle(result);
	}

	#settleOldest(result: ControlResult): void {
		const oldest = this.#pending.keys().next();
		if (!oldest.done) this.#settle(oldest.value, result);
	}

	async #closed(code: number, reason: string): Promise<void> {
		clearTimeout(this.#pingTimer);
		this.#connected = false;
		this.events.connection(false);
		for (const id of [...this.#pending.keys()]) this.#settle(id, { ok: false, reason: 'disconnected' });
		if (this.#stopped) return;
		if (code === CLOSE_NOT_IN_INSTANCE) {
			// Discord's list of who is in an instance lags a join by a few seconds: only repeated refusals are final.
			if (++this.#absentRefusals > ABSENT_RETRIES) {
				this.#stopped = true;
				this.events.ended(reason || 'You are no longer in this Activity.');
				return;
			}
			setTimeout(() => this.connect(), ABSENT_RETRY_MS);
			return;
		}
		if (code === CLOSE_BAD_TOKEN) {
			try {
				this.#token = await this.events.renewToken();
			} catch {
				this.#stopped = true;
				this.events.ended('Your session with the bot has ended.');
				return;
			}
		}
		const delay = Math.min(RECONNECT_MAX_MS, 250 * 2 ** this.#attempt++);
		setTimeout(() => this.connect(), delay);
	}
}
