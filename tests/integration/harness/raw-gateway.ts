import WebSocket from 'ws';

export interface GatewayFrame {
	op: number;
	t: string | null;
	s: number | null;
	d: unknown;
}

/**
 * A bare gateway client for the tests that must send what discord.js never would (an identify faster than
 * `max_concurrency` allows, an invalid shard, a RESUME from a second socket). It records every frame it gets.
 */
export class RawGateway {
	public readonly frames: GatewayFrame[] = [];
	public closeCode: number | null = null;
	readonly #ws: WebSocket;
	readonly #closed: Promise<number>;
	#changed: () => void = () => undefined;

	private constructor(ws: WebSocket) {
		this.#ws = ws;
		ws.on('message', (data: Buffer) => {
			this.frames.push(JSON.parse(data.toString('utf8')) as GatewayFrame);
			this.#changed();
		});
		this.#closed = new Promise((resolve) => {
			ws.on('close', (code) => {
				this.closeCode = code;
				this.#changed();
				resolve(code);
			});
		});
	}

	/** Opens `url` (the gateway, or a `resume_gateway_url`) and waits for HELLO. */
	public static async open(url: string): Promise<RawGateway> {
		const gateway = new RawGateway(new WebSocket(`${url}?v=10&encoding=json`));
		await gateway.next((frame) => frame.op === 10);
		return gateway;
	}

	public get open(): boolean {
		return this.#ws.readyState === WebSocket.OPEN;
	}

	public send(op: number, d: unknown): void {
		this.#ws.send(JSON.stringify({ op, d }));
	}

	public identify(token: string, shard: [number, number] | unknown, intents = 1): void {
		this.send(2, { token, intents, properties: { os: 'linux', browser: 'raw', device: 'raw' }, shard });
	}

	/** The first frame (already received or coming) that matches. */
	public next(matches: (frame: GatewayFrame) => boolean, timeoutMs = 3_000): Promise<GatewayFrame> {
		return new Promise((resolve, reject) => {
			const check = (): boolean => {
				const found = this.frames.find(matches);
				if (found) resolve(found);
				else if (this.closeCode !== null) reject(new Error(`gateway closed with ${this.closeCode} before the frame came`));
				return found !== undefined || this.closeCode !== null;
			};
			if (check()) return;
			const timer = setTimeout(() => reject(new Error(`no matching gateway frame after ${timeoutMs} ms`)), timeoutMs);
			this.#changed = () => {
				if (check()) clearTimeout(timer);
			};
		});
	}

	/** The dispatch `t` of the session, e.g. READY. */
	public dispatch(t: string, timeoutMs?: number): Promise<GatewayFrame> {
		return this.next((frame) => frame.op === 0 && frame.t === t, timeoutMs);
	}

	public closed(): Promise<number> {
		return this.#closed;
	}

	/** Closes with `code` (1000 ends the session; 4000 keeps it resumable). */
	public async close(code = 4000): Promise<void> {
		this.#ws.close(code);
		await this.#closed;
	}

	/** Cuts the TCP connection without a close frame; the session stays resumable. */
	public async cut(): Promise<void> {
		this.#ws.terminate();
		await this.#closed;
	}
}
