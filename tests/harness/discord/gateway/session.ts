import type { GatewayOpcodes } from 'discord-api-types/v10';
import { WebSocket } from 'ws';
import type { LimitWindow } from '../rate-limits.js';
import { shardForGuild } from '../snowflake.js';

/** Dispatches kept for RESUME; frames are pre-serialised. */
class ReplayBuffer {
	#frames: { seq: number; frame: string }[] = [];
	#start = 0;

	public constructor(private readonly capacity: number) {}

	public push(seq: number, frame: string): void {
		this.#frames.push({ seq, frame });
		if (this.#frames.length - this.#start > this.capacity) this.#start += 1;
		if (this.#start > 1024 && this.#start * 2 > this.#frames.length) {
			this.#frames = this.#frames.slice(this.#start);
			this.#start = 0;
		}
	}

	/** Frames after `seq`, or undefined when some of them were already evicted. */
	public after(seq: number): string[] | undefined {
		const first = this.#frames[this.#start];
		if (first && first.seq > seq + 1) return undefined;
		const result: string[] = [];
		for (let i = this.#start; i < this.#frames.length; i += 1) {
			const entry = this.#frames[i]!;
			if (entry.seq > seq) result.push(entry.frame);
		}
		return result;
	}
}

/**
 * One gateway session: a shard pair, a sequence and a replay buffer, outliving the connection it runs on.
 * Several sessions may hold the same `[shard_id, num_shards]`, or pairs with different counts: "num_shards does
 * not relate to (or limit) the total number of potential sessions. It is only used for routing traffic. [...] You
 * can establish multiple sessions with the same [shard_id, num_shards]" (discord-api-docs
 * developers/events/gateway.mdx, "Sharding"). Each such session gets every event routed to its shard.
 */
export class GatewaySession {
	public seq = 0;
	public readonly startedAt = Date.now();
	public connection: GatewayConnection | null = null;
	public resumes = 0;
	public invalidated = false;
	public presence: unknown = null;
	public readonly buffer: ReplayBuffer;

	public constructor(
		public readonly id: string,
		public readonly shard: [number, number],
		public readonly intents: number,
		public readonly largeThreshold: number,
		replayBufferSize: number
	) {
		this.buffer = new ReplayBuffer(replayBufferSize);
	}

	public has(intent: number): boolean {
		return (this.intents & intent) === intent;
	}

	/**
	 * Whether events of `guildId` (or guild-less events, for undefined) go to this session:
	 * `shard_id = (guild_id >> 22) % num_shards`, and "Gateway events that do not contain a guild_id will only be
	 * sent to the first shard (shard_id: 0). This includes Direct Message (DM), subscription and entitlement
	 * events" (discord-api-docs developers/events/gateway.mdx, "Sharding Formula").
	 */
	public servesGuild(guildId: string | undefined): boolean {
		const [id, count] = this.shard;
		return guildId === undefined ? id === 0 : shardForGuild(guildId, count) === id;
	}
}

export class GatewayConnection {
	public session: GatewaySession | null = null;
	public heartbeats = 0;
	public closed = false;
	public closeCode: number | null = null;
	#sendWindowStart = Date.now();
	#sendCount = 0;

	public constructor(
		public readonly id: number,
		public readonly ws: WebSocket,
		public readonly path: string,
		public readonly query: URLSearchParams
	) {}

	public sendRaw(frame: string): void {
		if (!this.closed && this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
	}

	public send(op: GatewayOpcodes, d: unknown): void {
		this.sendRaw(JSON.stringify({ op, d, s: null, t: null }));
	}

	public close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		this.closeCode = code;
		this.ws.close(code, reason.slice(0, 120));
	}

	/** Counts a client send; false when the window's budget is exceeded. */
	public countSend(limit: LimitWindow): boolean {
		const now = Date.now();
		if (now - this.#sendWindowStart >= limit.windowMs) {
			this.#sendWindowStart = now;
			this.#sendCount = 0;
		}
		this.#sendCount += 1;
		return this.#sendCount <= limit.limit;
	}
}
