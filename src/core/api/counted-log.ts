/**
 * A log line that anyone on the internet can cause (an upload cut off, a bad webhook signature) is written at most
 * once per interval: the first one at once, the rest counted and written as one line with the count when the interval
 * is over. The log then grows with time, not with what a client sends.
 */
export class CountedLog {
	readonly #intervalMs: number;
	readonly #write: (count: number, latest: string) => void;
	#count = 0;
	#latest = '';
	#lastWrittenAt = Number.NEGATIVE_INFINITY;
	#timer: NodeJS.Timeout | undefined;

	/** `write` gets how many happened since the last line and the latest one's description. */
	public constructor(intervalMs: number, write: (count: number, latest: string) => void) {
		this.#intervalMs = intervalMs;
		this.#write = write;
	}

	/** One more occurrence, described without secrets or stack traces. */
	public note(description: string, now = Date.now()): void {
		this.#count++;
		this.#latest = description;
		if (now - this.#lastWrittenAt >= this.#intervalMs) {
			this.flush(now);
			return;
		}
		// Unref'd: a pending summary never keeps the process alive.
		this.#timer ??= setTimeout(() => this.flush(), this.#lastWrittenAt + this.#intervalMs - now).unref();
	}

	/** Writes what was counted since the last line, if anything. */
	public flush(now = Date.now()): void {
		if (this.#timer !== undefined) clearTimeout(this.#timer);
		this.#timer = undefined;
		if (this.#count === 0) return;
		const count = this.#count;
		this.#count = 0;
		this.#lastWrittenAt = now;
		this.#write(count, this.#latest);
	}
}
