import type Keyv from 'keyv';

/** What `/watch` (or a Watch together button) stored when Discord launched an Activity instance. */
export interface Launch {
	readonly entryId: string;
	readonly launcherId: string;
	readonly guildId: string;
	readonly channelId: string;
}

/** How long a launch is remembered for its instance's first member: an Activity nobody opens in a day is not opened. */
const LAUNCH_TTL_MS = 24 * 60 * 60_000;

/**
 * Instance → launch, on the bot's key/value backend (Redis when REDIS_URL is set, so a launch answered by one process
 * is seen by the process a member's socket reaches). The first room of the instance opens with its entry and its
 * launcher in control.
 */
export class LaunchStore {
	readonly #store: Keyv<Launch>;

	public constructor(store: Keyv<Launch>) {
		this.#store = store;
	}

	public async remember(instanceId: string, launch: Launch): Promise<void> {
		await this.#store.set(instanceId, launch, LAUNCH_TTL_MS);
	}

	public async of(instanceId: string): Promise<Launch | undefined> {
		return (await this.#store.get(instanceId)) ?? undefined;
	}
}
