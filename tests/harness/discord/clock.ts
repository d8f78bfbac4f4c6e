/**
 * The stand-in's notion of "now" for interaction deadlines (3 s first response,
 * 15 min token lifetime). Tests move it forward instead of sleeping. Rate limits
 * deliberately use real time, because discord.js waits them out in real time.
 */
export class HarnessClock {
	#offsetMs = 0;

	public now(): number {
		return Date.now() + this.#offsetMs;
	}

	/** Moves the clock forward by `ms` milliseconds. */
	public advance(ms: number): void {
		if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance expects a non-negative number, got ${ms}`);
		this.#offsetMs += ms;
	}

	/** Back to wall-clock time. */
	public reset(): void {
		this.#offsetMs = 0;
	}
}
