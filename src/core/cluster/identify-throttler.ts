import { setTimeout as sleep } from 'node:timers/promises';
import type { LeaseStore } from './lease-store.js';

/**
 * Discord starts at most one session per rate-limit bucket (shard id % `max_concurrency`) every 5 seconds, for the
 * whole application however many processes it runs (discord-api-docs, developers/events/gateway.mdx, "Max Concurrency"
 * and "Rate Limiting"). The half second on top covers the time between taking the slot and Discord receiving the identify.
 */
export const IDENTIFY_SPACING_MS = 5_500;

/** The shape of @discordjs/ws's IIdentifyThrottler, which discord.js's `ws.buildIdentifyThrottler` builds. */
export interface IdentifyThrottler {
	waitForIdentify(shardId: number, signal: AbortSignal): Promise<void>;
}

/**
 * Identify slots shared by every process of the bot through a lease store: a shard may identify once it takes its
 * bucket's slot, which then stays taken for {@link IDENTIFY_SPACING_MS}. @discordjs/ws's own SimpleIdentifyThrottler
 * does the same within one process only.
 */
export class ClusterIdentifyThrottler implements IdentifyThrottler {
	public constructor(
		private readonly leases: LeaseStore,
		private readonly keyPrefix: string,
		private readonly holder: string,
		private readonly maxConcurrency: number,
		private readonly spacingMs = IDENTIFY_SPACING_MS
	) {}

	public async waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
		const key = `${this.keyPrefix}identify:${shardId % Math.max(1, this.maxConcurrency)}`;
		for (;;) {
			signal.throwIfAborted();
			if (await this.leases.take(key, `${this.holder}:shard-${shardId}`, this.spacingMs)) return;
			const taken = await this.leases.holder(key);
			// Woken a little after the slot frees, so that several waiting processes do not all ask at the same instant.
			await sleep((taken?.remainingMs ?? 0) + 25 + Math.floor(Math.random() * 100), undefined, { signal });
		}
	}
}
