import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { REST } from 'discord.js';
import { DeliveryWorker, restSenderOf } from '../lib/delivery-worker.js';
import { renderMessage } from '../lib/render.js';
import type { DeliveryOutcome, NotificationStore, OutboxRow } from '../lib/store/notification-store.js';
import { SqliteNotificationStore } from '../lib/store/sqlite-notification-store.js';
import { DiscordStandIn } from '../../../tests/harness/discord/index.js';

/** Far shorter than Discord's "few minutes", so that the resends below come after it. */
const NONCE_WINDOW_MS = 100;
/** Longer than the nonce window: a send whose outcome was not recorded is sent again only after it. */
const LEASE_MS = 400;

/**
 * Exactly once after Discord has forgotten a send's nonce: the real delivery worker and the real discord.js
 * REST against the Discord stand-in, whose nonce window is cut to 100 ms. A resend that comes after the
 * window must find the earlier post itself (not posted again), or post once when there is none.
 */
describe('notifications: a resend after Discord’s nonce window (Discord stand-in)', function () {
	this.timeout(20_000);

	let discord: DiscordStandIn;
	let rest: REST;
	let guildId: string;
	let channelId: string;
	let store: SqliteNotificationStore;
	let worker: DeliveryWorker | undefined;
	let savedLogger: typeof container.logger | undefined;
	const logged: string[] = [];

	before(async () => {
		savedLogger = (container as { logger?: typeof container.logger }).logger;
		const note = (...values: unknown[]) => void logged.push(values.map(String).join(' '));
		container.logger = {
			debug: note,
			info: note,
			warn: note,
			error: note,
			trace: note,
			fatal: note,
			write: note,
			has: () => true
		} as unknown as typeof container.logger;
		discord = await DiscordStandIn.start({ enforcedNonceWindowMs: NONCE_WINDOW_MS });
		guildId = discord.addGuild({ name: 'Resends' }).id;
		// No retries of its own: one 502 is one failed send.
		rest = new REST({ ...discord.clientOptions().rest, retries: 0 }).setToken(discord.token);
		// One store for all tests: its row ids, and so the nonces (Discord keeps them per author, not per channel), never repeat.
		store = new SqliteNotificationStore(':memory:');
	});

	after(async () => {
		await store?.close();
		await discord?.stop();
		if (savedLogger === undefined) Reflect.deleteProperty(container, 'logger');
		else container.logger = savedLogger;
	});

	beforeEach(async () => {
		// A channel per test, so each test sees only its own posts.
		channelId = discord.addChannel(guildId, { name: 'news' }).id;
		discord.restFaults.clear();
		logged.length = 0;
	});

	afterEach(async () => {
		await worker?.stop();
		worker = undefined;
	});

	async function queue(name: string, type: 'entry.ready' | 'live_stream.started' | 'live_stream.ended' = 'entry.ready'): Promise<number> {
		const body = renderMessage(type, { object: { id: '0_resend', name } }, 4321, null);
		const followUp = type === 'entry.ready' ? {} : { subject: 'live:0_resend', editsPrevious: type === 'live_stream.ended' };
		await store.insertIfNew(
			{
				key: `job:${name}:${type}`,
				type,
				eventType: 3,
				eventObjectType: '1',
				objectId: '0_resend',
				partnerId: 4321,
				receivedAt: Date.now(),
				payload: '{}'
			},
			[{ guildId: 'g', channelId, body, ...followUp }]
		);
		return (await store.allDeliveries()).at(-1)!.id;
	}

	/** The store, failing to record the first delivered outcome: the row keeps its lease and is sent again when that runs out. */
	function forgetfulOnce(): NotificationStore {
		let failed = false;
		return new Proxy(store, {
			get(target, property, receiver) {
				if (property === 'finish' && !failed) {
					return (rowId: number, holder: string, outcome: DeliveryOutcome) => {
						failed = true;
						return outcome.status === 'delivered'
							? Promise.reject(new Error('the store went away'))
							: target.finish(rowId, holder, outcome);
					};
				}
				const value = Reflect.get(target, property, receiver) as unknown;
				return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
			}
		});
	}

	const startWorker = (source: NotificationStore) => {
		worker = new DeliveryWorker(
			() => Promise.resolve(source),
			restSenderOf(
				() => rest,
				() => discord.botUser.id
			),
			{
				pollMs: 50,
				leaseMs: LEASE_MS,
				backoffMs: () => NONCE_WINDOW_MS * 3,
				tokenRefused: () => false
			}
		);
		worker.start();
	};

	/** The row, once delivered. */
	async function delivered(id: number): Promise<OutboxRow> {
		for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((done) => setTimeout(done, 25))) {
			const row = (await store.allDeliveries()).find((candidate) => candidate.id === id && candidate.status === 'delivered');
			if (row !== undefined) return row;
		}
		throw new Error(`delivery ${id} was not delivered within 10 s`);
	}

	const requestsTo = (method: string) =>
		discord.requests.filter((request) => request.method === method && request.path === `/channels/${channelId}/messages`);
	const postsOf = (title: string) => discord.channelMessages(channelId).filter((message) => message.embeds[0]?.title === title);

	it('GIVEN a post that reached Discord but whose outcome was lost, resent after the nonce window THEN the earlier post is found and not posted again', async () => {
		const id = await queue('Found again');
		const postsBefore = requestsTo('POST').length;
		startWorker(forgetfulOnce());
		const row = await delivered(id);
		await new Promise((done) => setTimeout(done, 200));
		const posts = postsOf('New video ready: Found again');
		expect(posts, 'one post in the channel').to.have.length(1);
		expect(requestsTo('POST').length - postsBefore, 'one POST: the resend found the first').to.equal(1);
		expect(row.message_id).to.equal(posts[0]!.id);
		expect(posts[0]!.embeds[0]!.footer?.text).to.equal(`Kaltura · kdn-${id}`);
		expect(requestsTo('GET').length, 'the channel was read').to.be.greaterThan(0);
		expect(logged.join('\n')).to.include(`delivery ${id} was already posted`);
	});

	it('GIVEN a send that did not reach Discord, resent after the nonce window THEN the channel is read first and the row is posted once, carrying its delivery id', async () => {
		const id = await queue('Posted once');
		discord.restFaults.fail({ method: 'POST', route: '/channels/:channel_id/messages', status: 502, times: 1 });
		const getsBefore = requestsTo('GET').length;
		startWorker(store);
		await delivered(id);
		const posts = postsOf('New video ready: Posted once');
		expect(posts, 'posted once').to.have.length(1);
		expect(posts[0]!.embeds[0]!.footer?.text).to.equal(`Kaltura · kdn-${id}`);
		const created = requestsTo('POST').filter((request) => request.status === 200);
		const lookups = requestsTo('GET').slice(getsBefore);
		expect(lookups, 'one look before the resend').to.have.length(1);
		expect(lookups[0]!.query.limit).to.equal('100');
		expect(lookups[0]!.seq).to.be.lessThan(created.at(-1)!.seq);
	});

	it('GIVEN a first send THEN the channel is not read', async () => {
		const id = await queue('First try');
		const getsBefore = requestsTo('GET').length;
		startWorker(store);
		await delivered(id);
		expect(requestsTo('GET').length).to.equal(getsBefore);
		expect(postsOf('New video ready: First try')).to.have.length(1);
	});

	it('GIVEN a live stream’s start post found again after the nonce window THEN its end still edits that post', async () => {
		const started = await queue('Found live', 'live_stream.started');
		startWorker(forgetfulOnce());
		const row = await delivered(started);
		const ended = await queue('Found live', 'live_stream.ended');
		worker!.wake();
		const edit = await delivered(ended);
		const messages = discord.channelMessages(channelId);
		expect(messages, 'one message for the live stream').to.have.length(1);
		expect(edit.message_id).to.equal(row.message_id);
		expect(messages[0]!.embeds[0]!.title).to.equal('Live stream ended: Found live');
		expect(messages[0]!.embeds[0]!.footer?.text, 'marked by the delivery that wrote it last').to.equal(`Kaltura · kdn-${ended}`);
	});
});
