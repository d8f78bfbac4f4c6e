/**
 * At most `limit` tasks at a time, the rest waiting in arrival order. One limiter per guild is shared by
 * the reconciliation pass and the member listeners, so a burst of joins during a pass cannot push the
 * requests to Kaltura above the guild's `concurrency` setting. (p-limit is in node_modules only as a
 * dependency of a dependency; a dozen lines do not justify relying on that.)
 */
export class ConcurrencyLimiter {
	#active = 0;
	readonly #waiting: (() => void)[] = [];

	#limit: number;

	public constructor(limit: number) {
		this.#limit = limit;
	}

	/** A lower limit takes effect as running tasks finish; a higher one lets waiting tasks start now. */
	public get limit(): number {
		return this.#limit;
	}

	public set limit(limit: number) {
		this.#limit = limit;
		this.#next();
	}

	public get active(): number {
		return this.#active;
	}

	public get waiting(): number {
		return this.#waiting.length;
	}

	/** Resolves with a release function once a slot is free; call it exactly once. */
	public acquire(): Promise<() => void> {
		return new Promise((resolve) => {
			const grant = () => {
				this.#active++;
				let released = false;
				resolve(() => {
					if (released) return;
					released = true;
					this.#active--;
					this.#next();
				});
			};
			if (this.#active < this.#limit) grant();
			else this.#waiting.push(grant);
		});
	}

	public async run<T>(task: () => Promise<T>): Promise<T> {
		const release = await this.acquire();
		try {
			return await task();
		} finally {
			release();
		}
	}

	#next(): void {
		while (this.#active < this.#limit) {
			const next = this.#waiting.shift();
			if (next === undefined) return;
			next();
		}
	}
}
