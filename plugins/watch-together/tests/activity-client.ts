import { WebSocket } from 'ws';

/** What the Activity's server sends (the contract's server → client messages), as a test reads them. */
export interface ServerMessage {
	readonly type: string;
	readonly [key: string]: unknown;
}

export interface RoomShape {
	readonly instanceId: string;
	readonly entryId: string | null;
	readonly playing: boolean;
	readonly position: number;
	readonly at: number;
	readonly controllerId: string;
	readonly rev: number;
	readonly participants: readonly string[];
}

/**
 * A participant's socket, as the Activity opens it (the real `ws` client): every message kept in order, with waits for
 * the next of a type and for the close.
 */
export class ActivitySocket {
	public readonly messages: ServerMessage[] = [];
	public readonly closed: Promise<{ code: number; reason: string }>;
	readonly #ws: WebSocket;
	#waiters: (() => void)[] = [];

	private constructor(ws: WebSocket) {
		this.#ws = ws;
		ws.on('message', (data) => {
			this.messages.push(JSON.parse(String(data)) as ServerMessage);
			this.#notify();
		});
		this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
		void this.closed.then(() => this.#notify());
	}

	public static async open(url: string): Promise<ActivitySocket> {
		const ws = new WebSocket(url);
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
		});
		return new ActivitySocket(ws);
	}

	public send(message: unknown): void {
		this.#ws.send(typeof message === 'string' ? message : JSON.stringify(message));
	}

	public hello(token: string): void {
		this.send({ type: 'hello', token });
	}

	/** The first message of `type` at or after index `from` (waits for it). */
	public next(type: string, from = 0, timeoutMs = 5_000): Promise<ServerMessage> {
		return this.first((message) => message.type === type, from, timeoutMs, type);
	}

	/** The refusal of the control with this request id. */
	public refusal(id: number | string, timeoutMs = 5_000): Promise<ServerMessage> {
		return this.first((message) => message.type === 'refused' && message.id === id, 0, timeoutMs, `refused ${id}`);
	}

	public async first(test: (message: ServerMessage) => boolean, from = 0, timeoutMs = 5_000, what = 'matching'): Promise<ServerMessage> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.messages.slice(from).find(test);
			if (found !== undefined) return found;
			if (this.#ws.readyState === WebSocket.CLOSED) throw new Error(`The socket closed before a ${what} message`);
			if (Date.now() > deadline) throw new Error(`No ${what} message within ${timeoutMs} ms: ${JSON.stringify(this.messages)}`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, 100);
				this.#waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	/** The first state message whose room satisfies `test`, from `from` on. */
	public async state(test: (room: RoomShape) => boolean, from = 0, timeoutMs = 5_000): Promise<RoomShape> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.messages
				.slice(from)
				.filter((message) => message.type === 'state')
				.map((message) => message.room as RoomShape)
				.find(test);
			if (found !== undefined) return found;
			if (Date.now() > deadline) throw new Error(`No matching state within ${timeoutMs} ms: ${JSON.stringify(this.messages.slice(from))}`);
			await this.next('state', this.messages.length, Math.min(500, Math.max(1, deadline - Date.now()))).catch(() => undefined);
		}
	}

	public async closedWithin(timeoutMs = 5_000): Promise<{ code: number; reason: string }> {
		let timer: NodeJS.Timeout | undefined;
		const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('The socket did not close')), timeoutMs)));
		try {
			return await Promise.race([this.closed, late]);
		} finally {
			clearTimeout(timer);
		}
	}

	public close(): void {
		this.#ws.close();
	}

	public get isOpen(): boolean {
		return this.#ws.readyState === WebSocket.OPEN;
	}

	#notify(): void {
		const waiters = this.#waiters;
		this.#waiters = [];
		for (const waiter of waiters) waiter();
	}
}
