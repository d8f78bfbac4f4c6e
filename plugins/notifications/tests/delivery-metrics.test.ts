import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { DiscordAPIError } from 'discord.js';
import { BotMetrics } from '../../../src/core/metrics/bot-metrics.js';
import { metricDefinitions } from '../../../src/core/metrics/instruments.js';
import { parseExposition, valueOf } from '../../../tests/helpers/metrics-text.js';
import { DeliveryWorker, type MessageSender } from '../lib/delivery-worker.js';
import { countOutboxOf } from '../lib/notifications-metrics.js';
import type { NotificationEvent } from '../lib/store/notification-store.js';
import { SqliteNotificationStore } from '../lib/store/sqlite-notification-store.js';

const apiError = (status: number) =>
	new DiscordAPIError({ code: 0, message: `status ${status}` }, 0, status, 'POST', '/channels/1/messages', { body: undefined });

function event(key: string, receivedAt: number): NotificationEvent {
	return { key, type: 'entry.ready', eventType: 3, eventObjectType: '1', objectId: '0_abc', partnerId: 4321, receivedAt, payload: '{}' };
}

describe('notifications: outbox and delivery metrics', () => {
	let store: SqliteNotificationStore;
	let metrics: BotMetrics;
	let worker: DeliveryWorker;
	let saved: { logger?: typeof container.logger; metrics?: BotMetrics };
	/** What each channel's post answers: a message, or Discord's refusal. */
	const answers = new Map<string, () => Promise<{ id: string }>>();

	const scrape = async () => parseExposition((await metrics.scrape()).text);
	const outbox = async () => {
		const samples = await scrape();
		return Object.fromEntries(
			['pending', 'delivered', 'failed', 'dead'].map((status) => [status, valueOf(samples, 'kaltura_bot_outbox_deliveries', { status })])
		);
	};
	/** Wakes the worker and waits until the channel has nothing left to send. */
	const drained = async () => {
		worker.wake();
		for (let waited = 0; (await store.openChannels()).length > 0 && waited < 2_000; waited += 10) {
			await new Promise((resolve) => setTimeout(resolve, 10));
			worker.wake();
		}
	};

	before(() => {
		saved = { logger: (container as { logger?: typeof container.logger }).logger, metrics: (container as { metrics?: BotMetrics }).metrics };
		const quiet = () => undefined;
		container.logger = {
			debug: quiet,
			info: quiet,
			warn: quiet,
			error: quiet,
			trace: quiet,
			fatal: quiet,
			write: quiet,
			has: () => false
		} as unknown as typeof container.logger;
		metrics = new BotMetrics(metricDefinitions);
		container.metrics = metrics;
		metrics.enable();
	});

	after(() => {
		for (const [key, value] of Object.entries(saved)) {
			if (value === undefined) Reflect.deleteProperty(container, key);
			else Reflect.set(container, key, value);
		}
	});

	beforeEach(async () => {
		store = new SqliteNotificationStore(':memory:');
		for (const channelId of ['c1', 'c2', 'c3'])
			await store.subscribe({ guildId: 'g1', channelId, events: ['entry.ready'], categoryId: null, roleId: null });
		const sender: MessageSender = {
			post: (channelId) => answers.get(channelId)?.() ?? Promise.reject(new Error(`no answer for ${channelId}`)),
			edit: () => Promise.reject(new Error('unexpected edit'))
		};
		worker = new DeliveryWorker(() => Promise.resolve(store), sender, { pollMs: 60_000, tokenRefused: () => false });
		countOutboxOf(() => Promise.resolve(store));
	});

	afterEach(async () => {
		countOutboxOf(undefined);
		await worker.stop();
		await store.close();
		answers.clear();
	});

	it('GIVEN no plugin running THEN the outbox gauge is left out rather than made up', async () => {
		countOutboxOf(undefined);
		expect((await scrape()).filter((sample) => sample.name === 'kaltura_bot_outbox_deliveries')).to.deep.equal([]);
	});

	it('GIVEN a store that never answers (a hung MongoDB) THEN the scrape leaves the outbox out after 2 s instead of waiting on it', async () => {
		countOutboxOf(() => new Promise<never>(() => undefined));
		const started = Date.now();
		const samples = await scrape();
		expect(Date.now() - started).to.be.within(1_900, 3_500);
		expect(samples.filter((sample) => sample.name === 'kaltura_bot_outbox_deliveries')).to.deep.equal([]);
	});

	it('GIVEN deliveries queued, posted, refused and given up THEN each status counts them, every status exported', async () => {
		expect(await outbox()).to.deep.equal({ pending: 0, delivered: 0, failed: 0, dead: 0 });
		// Zeros are series of their own, not absent ones: a query on any status has data.
		const series = (await scrape()).filter((sample) => sample.name === 'kaltura_bot_outbox_deliveries').map((sample) => sample.labels.status);
		expect(series.sort()).to.deep.equal(['dead', 'delivered', 'failed', 'pending']);
		const now = Date.now();
		await store.insertIfNew(event('job:1', now), [{ guildId: 'g1', channelId: 'c1', body: {} }]);
		await store.insertIfNew(event('job:2', now), [{ guildId: 'g1', channelId: 'c2', body: {} }]);
		await store.insertIfNew(event('job:3', now), [{ guildId: 'g1', channelId: 'c3', body: {} }]);
		expect(await outbox()).to.deep.equal({ pending: 3, delivered: 0, failed: 0, dead: 0 });

		answers.set('c1', () => Promise.resolve({ id: 'm1' }));
		// 403: the channel refuses the bot (failed); 400: the body will never do (dead).
		answers.set('c2', () => Promise.reject(apiError(403)));
		answers.set('c3', () => Promise.reject(apiError(400)));
		await drained();
		expect(await outbox()).to.deep.equal({ pending: 0, delivered: 1, failed: 1, dead: 1 });
	});

	it('GIVEN a delivery posted THEN its lag from the event’s receipt is observed; a refused one is not', async () => {
		const before = await scrape();
		const count = valueOf(before, 'kaltura_bot_delivery_lag_seconds_count');
		const sum = valueOf(before, 'kaltura_bot_delivery_lag_seconds_sum');
		// Received 90 seconds ago (Kaltura's retries, a backlog): the lag counts from then, not from the send.
		await store.insertIfNew(event('job:4', Date.now() - 90_000), [{ guildId: 'g1', channelId: 'c1', body: {} }]);
		await store.insertIfNew(event('job:5', Date.now()), [{ guildId: 'g1', channelId: 'c2', body: {} }]);
		answers.set('c1', () => Promise.resolve({ id: 'm2' }));
		answers.set('c2', () => Promise.reject(apiError(400)));
		await drained();
		const after = await scrape();
		expect(valueOf(after, 'kaltura_bot_delivery_lag_seconds_count')).to.equal(count + 1);
		expect(valueOf(after, 'kaltura_bot_delivery_lag_seconds_sum') - sum).to.be.within(90, 95);
		expect(valueOf(after, 'kaltura_bot_delivery_lag_seconds_bucket', { le: '60' })).to.equal(
			valueOf(before, 'kaltura_bot_delivery_lag_seconds_bucket', { le: '60' })
		);
		expect(valueOf(after, 'kaltura_bot_delivery_lag_seconds_bucket', { le: '120' })).to.equal(
			valueOf(before, 'kaltura_bot_delivery_lag_seconds_bucket', { le: '120' }) + 1
		);
	});
});
