/**
 * The stand-in's notion of "now" for the 15 min interaction token lifetime and the
 * `enforce_nonce` window: tests move it forward instead of sleeping. It is real time
 * plus what was advanced, so real waits count too. The 3 s first-response deadline
 * holds on the real clock whatever this says (advancing can only make it pass sooner),
 * so a handler that is really too slow fails as it would on Discord. Rate limits
 * deliberately use real time only, because discord.js waits them out in real time.
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
