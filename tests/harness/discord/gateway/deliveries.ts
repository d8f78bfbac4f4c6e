import type { DispatchDelivery } from './types.js';

const MAX_DELIVERIES = 200_000;

/**
 * Which session each dispatch was handed to, so a test with several bot processes can tell which of them got an
 * event: `recipientsOf(interactionId, 'INTERACTION_CREATE')`.
 */
export class DeliveryLog {
	readonly #entries: DispatchDelivery[] = [];

	public get entries(): readonly DispatchDelivery[] {
		return this.#entries;
	}

	public push(entry: DispatchDelivery): void {
		this.#entries.push(entry);
		if (this.#entries.length > MAX_DELIVERIES) this.#entries.splice(0, this.#entries.length - MAX_DELIVERIES);
	}

	/** The deliveries of the event about `ref` (an interaction, message, guild or user id), optionally of one type. */
	public recipientsOf(ref: string, t?: string): DispatchDelivery[] {
		return this.#entries.filter((entry) => entry.ref === ref && (t === undefined || entry.t === t));
	}

	/** The distinct sessions that got the event about `ref`, in the order they got it. */
	public sessionsThatReceived(ref: string, t?: string): string[] {
		return [...new Set(this.recipientsOf(ref, t).map((entry) => entry.sessionId))];
	}

	public clear(): void {
		this.#entries.length = 0;
	}
}
