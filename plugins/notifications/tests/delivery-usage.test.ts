import { expect } from 'chai';
import { DiscordAPIError } from 'discord.js';
import { setUsageListener } from '#sdk';
import { DeliveryWorker, type MessageSender } from '../lib/delivery-worker.js';
import type { NotificationEvent } from '../lib/store/notification-store.js';
import { SqliteNotificationStore } from '../lib/store/sqlite-notification-store.js';
import { useQuietContainerLogger } from '../../../tests/helpers/quiet-container-logger.js';

const event = (key: string): NotificationEvent => ({
	key,
	type: 'entry.ready',
	eventType: 3,
	eventObjectType: '1',
	objectId: '0_abc',
	partnerId: 4321,
	receivedAt: Date.now(),
	payload: '{}'
});

const apiError = (status: number) =>
	new DiscordAPIError({ code: 0, message: `status ${status}` }, 0, status, 'POST', '/channels/1/messages', { body: undefined });

describe('notifications: deliveries recorded as the server’s usage', () => {
	useQuietContainerLogger();

	it('GIVEN a delivered, a refused and a given-up row THEN each counts for its guild once; a retry counts nothing', async () => {
		const store = new SqliteNotificationStore(':memory:');
		const heard: string[] = [];
		const stopListening = setUsageListener((guildId, usage) => heard.push(`${guildId} ${usage}`));
		const answers = new Map<string, () => Promise<{ id: string }>>([
			['c1', () => Promise.resolve({ id: 'm1' })],
			['c2', () => Promise.reject(apiError(403))],
			['c3', () => Promise.reject(apiError(503))]
		]);
		const sender: MessageSender = {
			post: (channelId) => answers.get(channelId)!(),
			edit: () => Promise.reject(new Error('unexpected edit'))
		};
		const worker = new DeliveryWorker(() => Promise.resolve(store), sender, { pollMs: 10_000, maxAttempts: 2, backoffMs: () => 0 });
		try {
			for (const [guildId, channelId] of [
				['g1', 'c1'],
				['g2', 'c2'],
				['g3', 'c3']
			] as const) {
				await store.subscribe({ guildId, channelId, events: ['entry.ready'], categoryId: null, roleId: null });
			}
			await store.insertIfNew(event('job:1'), [
				{ guildId: 'g1', channelId: 'c1', body: { content: 'a' } },
				{ guildId: 'g2', channelId: 'c2', body: { content: 'b' } },
				{ guildId: 'g3', channelId: 'c3', body: { content: 'c' } }
			]);
			worker.wake();
			await new Promise((done) => setTimeout(done, 40));
			expect(heard.toSorted()).to.deep.equal(['g1 notification_delivered', 'g2 notification_failed']);
			// The 503 is retried once more (maxAttempts 2), then given up: only then is it a failure.
			worker.wake();
			await new Promise((done) => setTimeout(done, 40));
			expect(heard.toSorted()).to.deep.equal(['g1 notification_delivered', 'g2 notification_failed', 'g3 notification_failed']);
		} finally {
			stopListening();
			await worker.stop();
			await store.close();
		}
	});
});
