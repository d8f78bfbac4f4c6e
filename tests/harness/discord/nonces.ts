import type { HarnessClock } from './clock.js';

/**
 * How long the stand-in remembers a message nonce for `enforce_nonce`, by default. Discord promises only "the
 * past few minutes" (discord-api-docs developers/resources/message.mdx, Create Message, `enforce_nonce`: "If true
 * and nonce is present, it will be checked for uniqueness in the past few minutes. If another message was
 * created by the same author with the same nonce, that message will be returned and no new message will be
 * created."; developers/change-log.mdx, February 12, 2024: "deduped for the same sender within a few minutes").
 * No figure is documented, so the stand-in takes the low end of "a few minutes": a bot that counts on the
 * nonce for longer is caught here rather than by a double post in production.
 */
export const DEFAULT_ENFORCED_NONCE_WINDOW_MS = 2 * 60_000;

interface NonceEntry {
	messageId: string;
	channelId: string;
	at: number;
}

/** The earlier create a nonce points to, if Discord still remembers it. */
export interface RememberedNonce {
	messageId: string;
	channelId: string;
}

/**
 * The nonces of recent message creates, per author, for `enforce_nonce`. Keyed by author and nonce only: the
 * documentation speaks of "the same author" (or "the same sender"), not of the channel. Time is
 * `discord.clock`, so a test can step past the window with `clock.advance`.
 */
export class EnforcedNonces {
	readonly #byAuthor = new Map<string, Map<string, NonceEntry>>();

	public constructor(
		private readonly clock: HarnessClock,
		private readonly windowMs: () => number
	) {}

	/** The earlier create with this nonce by this author inside the window, if any. */
	public find(authorId: string, nonce: string): RememberedNonce | undefined {
		const entry = this.#byAuthor.get(authorId)?.get(nonce);
		if (!entry) return undefined;
		if (this.clock.now() - entry.at > this.windowMs()) {
			this.#byAuthor.get(authorId)?.delete(nonce);
			return undefined;
		}
		return { messageId: entry.messageId, channelId: entry.channelId };
	}

	public remember(authorId: string, nonce: string, message: { id: string; channel_id: string }): void {
		let nonces = this.#byAuthor.get(authorId);
		if (!nonces) {
			nonces = new Map();
			this.#byAuthor.set(authorId, nonces);
		}
		nonces.set(nonce, { messageId: message.id, channelId: message.channel_id, at: this.clock.now() });
	}
}
