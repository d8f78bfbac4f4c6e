/**
 * The offset between this browser's clock and the bot's, NTP-style: each ping/pong gives
 * offset = serverNow - (sent + received) / 2, and the sample with the smallest round trip wins, since its
 * server reading is the one least blurred by network delay.
 */
export class ClockOffset {
	#bestRoundTrip = Number.POSITIVE_INFINITY;
	#offset = 0;
	#samples = 0;

	/** Records one ping/pong: `sent` and `received` on this clock, `serverNow` on the bot's. */
	public sample(sent: number, received: number, serverNow: number): void {
		const roundTrip = received - sent;
		if (roundTrip < 0) return;
		this.#samples += 1;
		if (roundTrip > this.#bestRoundTrip) return;
		this.#bestRoundTrip = roundTrip;
		this.#offset = serverNow - (sent + received) / 2;
	}

	/** A first estimate from a message that carries the server's time but no round trip (welcome). */
	public seed(received: number, serverNow: number): void {
		if (this.#samples === 0) this.#offset = serverNow - received;
	}

	/** Milliseconds to add to Date.now() to read the bot's clock. */
	public get offset(): number {
		return this.#offset;
	}

	public get roundTrip(): number {
		return this.#bestRoundTrip;
	}

	/** The bot's clock now, as estimated. */
	public serverNow(localNow: number = Date.now()): number {
		return localNow + this.#offset;
	}
}
