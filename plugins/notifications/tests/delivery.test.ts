import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { DiscordAPIError } from 'discord.js';
import { DeliveryWorker, nonceOf, type MessageSender } from '../lib/delivery-worker.js';
import { categoriesOf, renderMessage } from '../lib/render.js';
import { RetentionSweeper } from '../lib/retention.js';
import { parseEventList } from '../commands/notifications.js';
import type { NotificationEvent, OutboxDraft } from '../lib/store/notification-store.js';
import { SqliteNotificationStore } from '../lib/store/sqlite-notification-store.js';
import { useQuietContainerLogger } from '../../../tests/helpers/quiet-container-logger.js';

function event(key: string): NotificationEvent {
	return {
		key,
		type: 'entry.ready',
		eventType: 3,
		eventObjectType: '1',
		objectId: '0_abc',
		partnerId: 4321,
		receivedAt: Date.now(),
		payload: '{}'
	};
}

const apiError = (status: number, code = 0, method = 'POST') =>
	new DiscordAPIError({ code, message: `status ${status}` }, code, status, method, '/channels/1/messages', { body: undefined });

type Post = MessageSender['post'];

/** Posts through `post`; edits are refused unless a test gives its own sender. */
const posting = (post: Post): MessageSender => ({ post, edit: () => Promise.reject(new Error('unexpected edit')) });

async function settle(worker: DeliveryWorker, ms = 30): Promise<void> {
	worker.wake();
	await new Promise((done) => setTimeout(done, ms));
}

describe('notifications: outbox and delivery worker (in-memory SQLite, fake Discord)', () => {
	let store: SqliteNotificationStore;
	const workers: DeliveryWorker[] = [];

	useQuietContainerLogger();

	beforeEach(async () => {
		store = new SqliteNotificationStore(':memory:');
		await store.subscribe({ guildId: 'g1', channelId: 'c1', events: ['entry.ready'], categoryId: null, roleId: null });
	});

	afterEach(async () => {
		await Promise.all(workers.splice(0).map((worker) => worker.stop()));
		await store.close();
	});

	const draft = (channelId = 'c1', overrides: Partial<OutboxDraft> = {}): OutboxDraft => ({
		guildId: 'g1',
		channelId,
		body: { content: 'hello' },
		...overrides
	});
	const start = (sender: MessageSender | Post, options = {}) => {
		const worker = new DeliveryWorker(() => Promise.resolve(store), typeof sender === 'function' ? posting(sender) : sender, {
			pollMs: 10_000,
			...options
		});
		workers.push(worker);
		return worker;
	};

	it('GIVEN a duplicate event THEN its outbox rows are not queued again', async () => {
		expect(await store.insertIfNew(event('job:1'), [draft('c1'), draft('c2')])).to.equal('stored');
		expect(await store.insertIfNew(event('job:1'), [draft('c1'), draft('c3')])).to.equal('duplicate');
		expect((await store.allDeliveries()).map((row) => row.channel_id)).to.deep.equal(['c1', 'c2']);
	});

	it('GIVEN a row claimed by one worker THEN another cannot claim it until the lease runs out', async () => {
		await store.insertIfNew(event('job:2'), [draft()]);
		const now = Date.now();
		expect(await store.claimHead('c1', 'a', now, now + 1_000)).to.include({ status: 'sending', worker: 'a' });
		expect(await store.claimHead('c1', 'b', now, now + 1_000)).to.equal(undefined);
		expect(await store.claimHead('c1', 'b', now + 1_001, now + 2_000)).to.include({ worker: 'b' });
	});

	it('GIVEN sends THEN each carries its row’s nonce with enforce_nonce, in order, one at a time per channel', async () => {
		await store.insertIfNew(event('job:3'), [draft()]);
		await store.insertIfNew(event('job:4'), [draft()]);
		const sent: Record<string, unknown>[] = [];
		let inFlight = 0;
		let most = 0;
		const worker = start(async (_channel, body) => {
			most = Math.max(most, ++inFlight);
			await new Promise((done) => setTimeout(done, 5));
			inFlight--;
			sent.push(body);
			return { id: `m${sent.length}` };
		});
		await settle(worker, 60);
		const rows = await store.allDeliveries();
		expect(sent.map((body) => [body.nonce, body.enforce_nonce])).to.deep.equal(rows.map((row) => [nonceOf(row), true]));
		expect(rows.map((row) => [row.status, row.message_id])).to.deep.equal([
			['delivered', 'm1'],
			['delivered', 'm2']
		]);
		expect(most).to.equal(1);
		expect(nonceOf({ id: 2 ** 53 - 1 }).length).to.be.at.most(25);
	});

	it('GIVEN 5xx answers THEN the row backs off with its attempts and last error, and is dead after the last attempt', async () => {
		await store.insertIfNew(event('job:5'), [draft()]);
		const worker = start(() => Promise.reject(apiError(503)), { maxAttempts: 3, backoffMs: () => 0 });
		for (let round = 0; round < 3; round++) await settle(worker, 15);
		const [row] = await store.allDeliveries();
		expect(row).to.include({ status: 'dead', attempts: 3 });
		expect(row!.last_error).to.include('503');
	});

	it('GIVEN a 403 THEN the row is failed and the channel’s subscription disabled', async () => {
		await store.insertIfNew(event('job:6'), [draft()]);
		const worker = start(() => Promise.reject(apiError(403, 50_013)));
		await settle(worker);
		expect((await store.allDeliveries())[0]).to.include({ status: 'failed', attempts: 1 });
		expect((await store.subscriptionsOf('g1'))[0]).to.include({ enabled: false });
	});

	it('GIVEN a retention of 30 days THEN a sweep deletes an event received 31 days ago and keeps one of 29 days', async () => {
		const day = 86_400_000;
		const now = Date.now();
		await store.insertIfNew({ ...event('job:31-days'), receivedAt: now - 31 * day });
		await store.insertIfNew({ ...event('job:29-days'), receivedAt: now - 29 * day });
		const sweeper = new RetentionSweeper(() => Promise.resolve(store), 30);
		await sweeper.sweep(now);
		expect((await store.recent(10)).map((stored) => stored.key)).to.deep.equal(['job:29-days']);
		await sweeper.stop();
	});

	it('GIVEN a sweep that fails THEN it is logged and the next sweep runs', async () => {
		const warnings: unknown[][] = [];
		const savedWarn = container.logger.warn.bind(container.logger);
		container.logger.warn = (...values: unknown[]) => void warnings.push(values);
		try {
			let failing = true;
			const sweeper = new RetentionSweeper(() => (failing ? Promise.reject(new Error('database is locked')) : Promise.resolve(store)), 30);
			await store.insertIfNew({ ...event('job:old'), receivedAt: Date.now() - 40 * 86_400_000 });
			await sweeper.sweep();
			expect(String(warnings[0]?.[0])).to.include('old events and deliveries could not be deleted');
			failing = false;
			await sweeper.sweep();
			expect(await store.recent(10)).to.deep.equal([]);
		} finally {
			container.logger.warn = savedWarn;
		}
	});

	it('GIVEN the store fails to record a delivered send THEN the row is not counted as failed: it is sent again with the same nonce once its lease runs out', async () => {
		await store.insertIfNew(event('job:12'), [draft()]);
		let failOnce = true;
		// The real store, with one failure injected into recording the outcome (a database blip).
		const flaky = new Proxy(store, {
			get(target, property, receiver) {
				if (property === 'finish') {
					return (...args: Parameters<SqliteNotificationStore['finish']>) => {
						if (failOnce && args[2].status === 'delivered') {
							failOnce = false;
							return Promise.reject(new Error('database is locked'));
						}
						return target.finish(...args);
					};
				}
				const value: unknown = Reflect.get(target, property, receiver);
				return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
			}
		});
		const nonces: unknown[] = [];
		const worker = new DeliveryWorker(
			() => Promise.resolve(flaky),
			posting((_channel, body) => {
				nonces.push(body.nonce);
				return Promise.resolve({ id: 'm1' });
			}),
			{ pollMs: 20, leaseMs: 60 }
		);
		workers.push(worker);
		worker.start();
		await new Promise((done) => setTimeout(done, 250));
		const [row] = await store.allDeliveries();
		expect(nonces).to.deep.equal([nonceOf(row!), nonceOf(row!)]);
		expect(row).to.include({ status: 'delivered', message_id: 'm1', attempts: 1, last_error: null });
	});

	it('GIVEN an ending event after its start was posted THEN the start’s message is edited (no nonce), not posted anew', async () => {
		await store.insertIfNew(event('job:7'), [draft('c1', { subject: 'live:0_a', body: { content: 'started' } })]);
		await store.insertIfNew(event('job:8'), [draft('c1', { subject: 'live:0_a', editsPrevious: true, body: { content: 'ended' } })]);
		const calls: unknown[][] = [];
		const worker = start({
			post: (channelId, body) => {
				calls.push(['post', channelId, body.content, body.nonce]);
				return Promise.resolve({ id: 'm1' });
			},
			edit: (channelId, messageId, body) => {
				calls.push(['edit', channelId, messageId, body.content, body.nonce]);
				return Promise.resolve({ id: messageId });
			}
		});
		await settle(worker, 60);
		const rows = await store.allDeliveries();
		expect(calls).to.deep.equal([
			['post', 'c1', 'started', nonceOf(rows[0]!)],
			['edit', 'c1', 'm1', 'ended', undefined]
		]);
		expect(rows.map((row) => [row.status, row.message_id])).to.deep.equal([
			['delivered', 'm1'],
			['delivered', 'm1']
		]);
	});

	it('GIVEN an ending event whose earlier message was deleted THEN it is posted anew', async () => {
		await store.insertIfNew(event('job:9'), [draft('c1', { subject: 'meeting:5' })]);
		await store.insertIfNew(event('job:10'), [draft('c1', { subject: 'meeting:5', editsPrevious: true })]);
		const calls: string[] = [];
		const worker = start({
			post: () => {
				calls.push('post');
				return Promise.resolve({ id: `m${calls.length}` });
			},
			edit: () => {
				calls.push('edit');
				return Promise.reject(apiError(404, 10_008, 'PATCH'));
			}
		});
		await settle(worker, 60);
		expect(calls).to.deep.equal(['post', 'edit', 'post']);
		expect((await store.allDeliveries()).map((row) => [row.status, row.message_id])).to.deep.equal([
			['delivered', 'm1'],
			['delivered', 'm3']
		]);
		expect((await store.subscriptionsOf('g1'))[0]).to.include({ enabled: true });
	});

	it('GIVEN an ending event with no earlier message THEN it is posted', async () => {
		await store.insertIfNew(event('job:11'), [draft('c1', { subject: 'live:0_z', editsPrevious: true })]);
		const worker = start(() => Promise.resolve({ id: 'm1' }));
		await settle(worker);
		expect((await store.allDeliveries())[0]).to.include({ status: 'delivered', message_id: 'm1' });
	});
});

describe('notifications: two workers on two connections to one SQLite file', () => {
	let directory: string;
	const stores: SqliteNotificationStore[] = [];
	const workers: DeliveryWorker[] = [];

	before(() => {
		const quiet = () => undefined;
		container.logger ??= {
			debug: quiet,
			info: quiet,
			warn: quiet,
			error: quiet,
			trace: quiet,
			fatal: quiet,
			write: quiet,
			has: () => false
		} as unknown as typeof container.logger;
		directory = mkdtempSync(join(tmpdir(), 'notification-workers-'));
	});

	after(async () => {
		await Promise.all(workers.splice(0).map((worker) => worker.stop()));
		await Promise.all(stores.splice(0).map((store) => store.close()));
		rmSync(directory, { recursive: true, force: true });
	});

	it('GIVEN 100 deliveries over 5 channels and failing sends THEN each is delivered exactly once, each channel in order, by whichever worker claimed it', async () => {
		const file = join(directory, 'notifications.sqlite');
		const [one, two] = [new SqliteNotificationStore(file), new SqliteNotificationStore(file)];
		stores.push(one, two);
		const channels = ['c1', 'c2', 'c3', 'c4', 'c5'];
		for (let index = 0; index < 20; index++) {
			await one.insertIfNew(
				event(`job:${index}`),
				channels.map((channelId) => ({ guildId: 'g1', channelId, body: { content: `${channelId}#${index}` } }))
			);
		}
		const sent: { worker: string; channelId: string; content: unknown }[] = [];
		// A third of the sends fail (503): the row goes back to pending and the next worker to look, either one, claims it.
		const sender = (worker: string): MessageSender =>
			posting(async (channelId, body) => {
				// At least 2 ms a send: a send taking no time lets the first worker started drain every channel before the other looks.
				await new Promise((done) => setTimeout(done, 2 + Math.random() * 3));
				if (Math.random() < 1 / 3) throw apiError(503);
				sent.push({ worker, channelId, content: body.content });
				return { id: `${channelId}:${String(body.content)}` };
			});
		const options = { pollMs: 10, backoffMs: () => 0, maxAttempts: 1_000 };
		const a = new DeliveryWorker(() => Promise.resolve(one), sender('a'), options);
		const b = new DeliveryWorker(() => Promise.resolve(two), sender('b'), options);
		workers.push(a, b);
		a.start();
		b.start();
		const deadline = Date.now() + 10_000;
		while (sent.length < 100 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
		await new Promise((done) => setTimeout(done, 100));
		expect(sent).to.have.length(100);
		for (const channelId of channels) {
			expect(sent.filter((send) => send.channelId === channelId).map((send) => send.content)).to.deep.equal(
				Array.from({ length: 20 }, (_, index) => `${channelId}#${index}`)
			);
		}
		expect(new Set(sent.map((send) => send.worker)).size, 'both workers took part').to.equal(2);
		expect((await two.allDeliveries()).every((row) => row.status === 'delivered')).to.equal(true);
	});
});

describe('notifications: rendering', () => {
	it('GIVEN a role THEN the mention is in the content, allowed only for that role; the Watch link uses the entry id', () => {
		const body = renderMessage('entry.ready', { object: { id: '0_x', name: 'Hi', thumbnailUrl: 'https://cdn/t.jpg' } }, 42, '123');
		expect(body).to.deep.include({ content: '<@&123>', allowed_mentions: { parse: [], roles: ['123'] } });
		expect(body.components).to.deep.equal([
			{ type: 1, components: [{ type: 2, style: 5, label: 'Watch', url: 'https://42.mediaspace.kaltura.com/media/t/0_x' }] }
		]);
		expect((body.embeds as { thumbnail?: { url: string } }[])[0]!.thumbnail).to.deep.equal({ url: 'https://cdn/t.jpg' });
	});

	it('GIVEN a user event THEN no Watch button and no mention', () => {
		const body = renderMessage('user.created', { object: { id: 'ada' } }, 42, null);
		expect(body).to.not.have.property('components');
		expect(body).to.not.have.property('content');
		expect(body.allowed_mentions).to.deep.equal({ parse: [] });
	});

	it('GIVEN an entry or a category entry THEN its categories are read for the category filter', () => {
		expect(categoriesOf({ categoriesIds: '12, 34' })).to.deep.equal(['12', '34']);
		expect(categoriesOf({ categoryId: 12, entryId: '0_x' })).to.deep.equal(['12']);
		expect(categoriesOf({})).to.deep.equal([]);
	});

	it('GIVEN the events option THEN "all" is every type, a list is checked against the types', () => {
		expect(parseEventList('All')).to.deep.equal({ events: ['*'] });
		expect(parseEventList(' entry.ready, live_stream.started ,entry.ready')).to.deep.equal({ events: ['entry.ready', 'live_stream.started'] });
		expect(parseEventList('entry.ready,unknown,nope')).to.deep.equal({ unknown: ['unknown', 'nope'] });
	});
});
