import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { container } from '@sapphire/framework';
import { DiscordAPIError } from 'discord.js';
import { z } from 'zod';
import { discordTokenHealthOf, recordUsage } from '#sdk';
import { releaseLeasesOfDeadProcesses } from './dead-process-leases.js';
import { deliveryIdOf, findEarlierPost, withDeliveryId, type EarlierPostSearch } from './earlier-post.js';
import { tellGuildOwner } from './guild-owner-notice.js';
import { clientSender, type MessageSender } from './message-sender.js';
import type { NotificationStore, OutboxRow } from './store/notification-store.js';
import { deliveryLag, notificationsDelivered } from './notifications-metrics.js';

import type { DeliveryWorkerOptions } from './delivery-worker-options.js';
export type { DeliveryWorkerOptions };

export { restSenderOf, type MessageSender } from './message-sender.js';

/** An outbox row's body: the JSON of a Create Message body, written by the store from a rendered event. */
const messageBodySchema = z.record(z.string(), z.unknown());

/** Discord's JSON error code for a message that does not exist (deleted). */
const UNKNOWN_MESSAGE = 10_008;

/**
 * The nonce of a row's message: the same on every attempt, so Discord (enforce_nonce) posts it at most once
 * within the few minutes it remembers nonces. Up to 25 characters. The message carries the same text as its
 * delivery id (earlier-post.ts), which is how a resend after that window finds it.
 */
export const nonceOf = deliveryIdOf;

/**
 * Sends the outbox: claims a channel's oldest open row with a lease (one UPDATE, so several bot processes
 * never send the same row), posts it with its nonce and `enforce_nonce`, records the outcome, then the next
 * row of that channel. One send at a time per channel, channels in parallel.
 */
export class DeliveryWorker {
	public readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
	readonly #store: () => Promise<NotificationStore | undefined>;
	readonly #sender: MessageSender;
	readonly #pollMs: number;
	readonly #leaseMs: number;
	readonly #maxAttempts: number;
	readonly #backoffMs: (attempts: number) => number;
	readonly #tokenRefused: () => boolean;
	readonly #earlierPost: EarlierPostSearch;
	readonly #draining = new Map<string, Promise<void>>();
	#timer: NodeJS.Timeout | undefined;
	#stopped = false;
	#looking: Promise<void> | undefined;
	#lookAgain = false;
	#outboxUnreadable = false;
	#releasing: Promise<void> | undefined;
	/** Set once Discord refused the bot token: no row is claimed again by this process. */
	#held: Promise<void> | undefined;

	/** `store` gives the store, or undefined while there is none (a bot without subscriptions has no file). */
	public constructor(
		store: () => Promise<NotificationStore | undefined>,
		sender: MessageSender = clientSender,
		options: DeliveryWorkerOptions = {}
	) {
		this.#store = store;
		this.#sender = sender;
		this.#pollMs = options.pollMs ?? 1_000;
		this.#leaseMs = options.leaseMs ?? 30_000;
		this.#maxAttempts = options.maxAttempts ?? 5;
		this.#backoffMs = options.backoffMs ?? ((attempts) => Math.min(60_000, 1_000 * 2 ** Math.max(0, attempts - 1)));
		this.#tokenRefused = options.tokenRefused ?? (() => discordTokenHealthOf(container.client)?.refused ?? false);
		this.#earlierPost = options.earlierPost ?? {};
	}

	/** True once Discord refused the bot token: deliveries wait, pending, for a restart with a valid one. */
	public get held(): boolean {
		return this.#held !== undefined;
	}

	public start(): void {
		this.#timer ??= setInterval(() => this.wake(), this.#pollMs);
		this.#timer.unref();
		// Leases of dead processes first, so their rows are found by the first look.
		this.#releasing = releaseLeasesOfDeadProcesses(this.#store).then(() => this.wake());
	}

	/** Looks for channels with open rows and drains each that is not being drained already. */
	public wake(): void {
		if (this.#stopped || this.#held !== undefined) return;
		if (this.#tokenRefused()) {
			this.#hold();
			return;
		}
		// One look at a time: a burst of webhooks asks for many, one more after the current covers them all.
		if (this.#looking !== undefined) {
			this.#lookAgain = true;
			return;
		}
		this.#looking = this.#look().finally(() => {
			this.#looking = undefined;
			if (this.#lookAgain) {
				this.#lookAgain = false;
				this.wake();
			}
		});
	}

	async #look(): Promise<void> {
		let store: NotificationStore | undefined;
		let channels: string[];
		try {
			store = await this.#store();
			channels = (await store?.openChannels()) ?? [];
		} catch (error) {
			// Once per outage, not once per poll.
			if (!this.#outboxUnreadable)
				container.logger.warn('Notifications: the outbox could not be read; deliveries wait until it can be:', error);
			else container.logger.debug('Notifications: the outbox still cannot be read:', error);
			this.#outboxUnreadable = true;
			return;
		}
		if (this.#outboxUnreadable) container.logger.info('Notifications: the outbox can be read again; deliveries resume.');
		this.#outboxUnreadable = false;
		if (store === undefined || this.#stopped || this.#held !== undefined) return;
		for (const channelId of channels) {
			if (this.#draining.has(channelId)) continue;
			const drain = this.#drain(store, channelId)
				.catch((error: unknown) => container.logger.warn(`Notifications: delivery to channel ${channelId} stopped:`, error))
				.finally(() => this.#draining.delete(channelId));
			this.#draining.set(channelId, drain);
		}
	}

	/** Stops claiming rows and waits for the sends in flight to be recorded. */
	public async stop(): Promise<void> {
		this.#stopped = true;
		if (this.#timer !== undefined) clearInterval(this.#timer);
		this.#timer = undefined;
		await this.#releasing;
		await this.#looking;
		await Promise.allSettled([...this.#draining.values()]);
		await this.#held;
	}

	/**
	 * Discord refused the bot token: claims no more rows, lets the sends in flight finish, then hands back the
	 * rows this worker still holds, pending and with their attempts untouched. Retrying would only add 401s
	 * (Discord counts them towards a temporary ban) and burn each row's attempts into `dead`; the rows are sent
	 * once the bot runs with a valid token again. The core logs the refusal once; this says what it means here.
	 */
	#hold(): void {
		if (this.#held !== undefined) return;
		this.#held = (async () => {
			await Promise.allSettled([...this.#draining.values()]);
			try {
				const store = await this.#store();
				const kept = store === undefined ? 0 : await store.releaseLeases(this.id);
				container.logger.warn(
					`Notifications: deliveries are held until the bot restarts with a valid Discord token (${kept} in flight put back, none lost).`
				);
			} catch (error) {
				// The lease runs out on its own, and the next process sends the rows then.
				container.logger.warn(
					'Notifications: deliveries are held until the bot restarts with a valid Discord token; rows in flight come back when their lease runs out:',
					error
				);
			}
		})();
	}

	async #drain(store: NotificationStore, channelId: string): Promise<void> {
		while (!this.#stopped && this.#held === undefined) {
			const now = Date.now();
			const row = await store.claimHead(channelId, this.id, now, now + this.#leaseMs);
			if (row === undefined) return;
			const delivered = await this.#deliver(store, row);
			// A row that must wait (backoff) holds the channel's later rows back: the channel stays in order.
			if (!delivered) return;
		}
	}

	/**
	 * Sends a claimed row and records the outcome. Only Discord's answer decides the outcome: when the store
	 * fails (before or after the send), the error goes up to the drain and the row keeps its lease, so it is
	 * sent again (the same nonce, and a look for the earlier post first) once the lease runs out, rather than
	 * being counted as a failed send.
	 */
	async #deliver(store: NotificationStore, row: OutboxRow): Promise<boolean> {
		const previous = row.edits_previous && row.subject !== null ? await store.previousMessageOf(row.channel_id, row.subject, row.id) : null;
		let message: { id: string };
		try {
			message = await this.#send(row, previous);
		} catch (error) {
			// The token's fault, not the row's: nothing is recorded, the row stays leased until #hold puts it back.
			if (this.#isTokenRefusal(error)) {
				this.#hold();
				return false;
			}
			return this.#recordFailure(store, row, error);
		}
		await store.finish(row.id, this.id, { status: 'delivered', messageId: message.id });
		notificationsDelivered.inc({});
		recordUsage(row.guild_id, 'notification_delivered');
		// The row was queued when its event was received (created_at is the event's receivedAt).
		deliveryLag.observe({}, Math.max(0, Date.now() - row.created_at) / 1000);
		return true;
	}

	/**
	 * Edits the channel's earlier message about the same thing when the row asks for it and there is one
	 * (a live stream's "started" post becomes "ended"), else posts with the row's nonce. The message id
	 * recorded is the one the channel shows, so a later event about the same thing edits it again.
	 *
	 * A row claimed before may have been posted by that earlier claim without the outcome being recorded
	 * (the lease ran out, the answer was lost, the process died). Within Discord's nonce window the nonce
	 * stops a second post; beyond it only the channel can tell, so such a row first looks there for the
	 * bot's message carrying its delivery id and, when it is there, takes it as this send's.
	 */
	async #send(row: OutboxRow, previous: string | null): Promise<{ id: string }> {
		const body = withDeliveryId(messageBodySchema.parse(JSON.parse(row.body)), row);
		if (previous !== null) {
			try {
				return await this.#sender.edit(row.channel_id, previous, body);
			} catch (error) {
				// Deleted since: post anew. Anything else is the send's failure, handled as any other.
				if (!(error instanceof DiscordAPIError && error.code === UNKNOWN_MESSAGE)) throw error;
			}
		}
		if (row.claims > 1 && this.#sender.reader !== undefined) {
			const earlier = await findEarlierPost(this.#sender.reader, row, this.#earlierPost);
			if (earlier.found !== undefined) {
				container.logger.info(
					`Notifications: delivery ${row.id} was already posted in channel ${row.channel_id} (message ${earlier.found.id}); it is not posted again.`
				);
				return earlier.found;
			}
			if (!earlier.complete) {
				container.logger.warn(
					`Notifications: delivery ${row.id} may have been posted in channel ${row.channel_id}, but too many messages followed to check; it is posted again.`
				);
			}
		}
		return this.#sender.post(row.channel_id, { ...body, nonce: nonceOf(row), enforce_nonce: true });
	}

	/**
	 * A 401 to the bot's own request means the token was reset or revoked; after the first, @discordjs/rest drops
	 * the token and later sends fail before reaching Discord, which the core's watch has noted by then.
	 */
	#isTokenRefusal(error: unknown): boolean {
		return (error instanceof DiscordAPIError && error.status === 401) || this.#tokenRefused();
	}

	/** Records a send Discord refused or that did not get through; true when the channel may go on to its next row. */
	async #recordFailure(store: NotificationStore, row: OutboxRow, error: unknown): Promise<boolean> {
		const attempts = row.attempts + 1;
		const detail = error instanceof Error ? error.message : String(error);
		// A post answered 10008 Unknown Message: its nonce points at this row's earlier post, deleted since (Discord
		// does not post it again: discord/discord-api-docs#6647). The channel is fine; the row is done.
		if (error instanceof DiscordAPIError && error.code === UNKNOWN_MESSAGE && error.method.toUpperCase() === 'POST') {
			await store.finish(row.id, this.id, { status: 'failed', error: `posted earlier and deleted since (${detail})` });
			recordUsage(row.guild_id, 'notification_failed');
			container.logger.info(
				`Notifications: delivery ${row.id} to channel ${row.channel_id} was posted earlier and deleted since; it is not posted again.`
			);
			return true;
		}
		if (error instanceof DiscordAPIError && (error.status === 403 || error.status === 404)) {
			await store.finish(row.id, this.id, { status: 'failed', error: `${error.status} ${detail}` });
			recordUsage(row.guild_id, 'notification_failed');
			// The channel's other queued rows are refused the same way: the owner hears of it once.
			if (await store.disableSubscription(row.channel_id, `${error.status} ${detail}`)) {
				container.logger.warn(
					`Notifications: channel ${row.channel_id} (guild ${row.guild_id}) refused a notification (${error.status} ${detail}); its subscription is disabled.`
				);
				void tellGuildOwner(row.guild_id, row.channel_id, error.status);
			}
			return true;
		}
		// Any other 4xx will not get better by retrying (the body is what it is).
		const permanent = error instanceof DiscordAPIError && error.status >= 400 && error.status < 500;
		if (permanent || attempts >= this.#maxAttempts) {
			await store.finish(row.id, this.id, { status: 'dead', error: detail });
			recordUsage(row.guild_id, 'notification_failed');
			container.logger.warn(
				`Notifications: gave up on delivery ${row.id} to channel ${row.channel_id} after ${attempts} attempt(s): ${detail}`
			);
			return true;
		}
		await store.finish(row.id, this.id, { status: 'pending', error: detail, nextAttemptAt: Date.now() + this.#backoffMs(attempts) });
		container.logger.debug(`Notifications: delivery ${row.id} to channel ${row.channel_id} failed (${detail}); attempt ${attempts + 1} later.`);
		return false;
	}
}
