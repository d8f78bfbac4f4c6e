/**
 * Decides how writes of a pass go out: while nothing has been written yet, or after a batch in which
 * every write failed, one small batch at a time (a probe); once a batch got through, full batches, as many
 * at once as the limiter allows. When Kaltura refuses everything (a missing permission, an outage) a pass
 * then wastes one small batch, not several full ones in flight, before its failure rule stops it.
 */
export class ProbeGate {
	#probing = true;
	#probe: Promise<void> | undefined;
	#probeDone: (() => void) | undefined;

	/** True when the next batch is a probe: small, and the only one in flight until it is back (see {@link leave}). */
	public async enter(): Promise<boolean> {
		while (this.#probing && this.#probe !== undefined) await this.#probe;
		if (!this.#probing) return false;
		this.#probe = new Promise((done) => (this.#probeDone = done));
		return true;
	}

	/** A batch came back (`wrote`: whether any write in it succeeded), or was never sent (`wrote` undefined). */
	public leave(probe: boolean, wrote: boolean | undefined): void {
		if (wrote === true) this.#probing = false;
		else if (wrote === false) this.#probing = true;
		if (probe) {
			const done = this.#probeDone;
			this.#probe = undefined;
			this.#probeDone = undefined;
			done?.();
		}
	}
}
