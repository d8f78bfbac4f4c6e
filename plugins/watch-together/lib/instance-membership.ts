import type { ActivityInstance, DiscordActivityApi } from './discord-activity-api.js';

/** How long Discord's answer about an instance is reused: a burst of reconnects and requests costs one call. */
const FRESH_MS = 5_000;
/** A member the cached answer does not list may have joined since: Discord is asked again, at most this often per instance. */
const RECHECK_MS = 1_000;
const MAX_CACHED = 10_000;

/**
 * Who is in an Activity instance, asked of Discord (Get Application Activity Instance) and reused for a few seconds.
 * A member who left the instance is refused at most that long after.
 */
export class InstanceMembership {
	readonly #api: DiscordActivityApi;
	readonly #cache = new Map<string, { at: number; instance: Promise<ActivityInstance | undefined> }>();

	public constructor(api: DiscordActivityApi) {
		this.#api = api;
	}

	/** The instance now (undefined when Discord knows none by that id); Discord's failures are thrown. */
	public instance(instanceId: string, now = Date.now()): Promise<ActivityInstance | undefined> {
		const cached = this.#cache.get(instanceId);
		if (cached !== undefined && now - cached.at < FRESH_MS) return cached.instance;
		const instance = this.#api.activityInstance(instanceId);
		if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
		this.#cache.set(instanceId, { at: now, instance });
		// A failure is not reused: the next ask tries again.
		instance.catch(() => this.#cache.delete(instanceId));
		return instance;
	}

	/** Whether the user is in the instance, in that guild. */
	public async includes(instanceId: string, userId: string, guildId: string): Promise<boolean> {
		const listed = (instance: ActivityInstance | undefined) =>
			instance !== undefined && instance.guildId === guildId && instance.userIds.includes(userId);
		const now = Date.now();
		if (listed(await this.instance(instanceId, now))) return true;
		// Someone who just joined is not in an answer cached before: ask once more, if the cached answer is not brand new.
		const cached = this.#cache.get(instanceId);
		if (cached === undefined || Date.now() - cached.at < RECHECK_MS) return false;
		this.#cache.delete(instanceId);
		return listed(await this.instance(instanceId));
	}
}
