import { expect } from 'chai';
import { DiscordAPIError } from 'discord.js';
import { DeliveryWorker, type MessageSender } from '../lib/delivery-worker.js';
import type { NotificationEvent, OutboxDraft } from '../lib/store/notification-store.js';
import { SqliteNotificationStore } from '../lib/store/sqlite-notification-store.js';
import { DiscordTokenHealth, TOKEN_REFUSED_REASON } from '../../../src/core/discord/token-health.js';
import { Readiness } from '../../../src/core/readiness.js';
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
const draft = (channelId: string): OutboxDraft => ({ guildId: 'g1', channelId, body: { content: channelId } });

/** What discord.js throws for Discord's answer to a revoked token: 401, JSON code 0. */
const unauthorized = () =>
	new DiscordAPIError({ code: 0, message: '401: Unauthorized' }, 0, 401, 'POST', '/channels/1/messages', { body: undefined });

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('notifications: Discord refuses the bot token (401) mid fan-out', () => {
	let store: SqliteNotificationStore;
	const warnings: string[] = [];
	let worker: DeliveryWorker | undefined;

	useQuietContainerLogger({ warn: (message: string) => warnings.push(String(message)) });

	beforeEach(async () => {
		warnings.length = 0;
		store = new SqliteNotificationStore(':memory:');
		for (let index = 1; index <= 6; index++) await store.insertIfNew(event(`job:${index}`), [draft('c1'), draft('c2'), draft('c3')]);
	});

	afterEach(async () => {
		await worker?.stop();
		worker = undefined;
		await store.close();
	});

	it('GIVEN a 401 after a few posts THEN nothing is dead or failed, no attempt is counted, the rest stay pending and no more sends are tried', async () => {
		const health = new DiscordTokenHealth({ error: () => undefined });
		let calls = 0;
		// The real REST: the first 401 drops the token, every later send fails before reaching Discord.
		const sender: MessageSender = {
			post: async () => {
				const call = ++calls;
				await sleep(2);
				if (call <= 4) return { id: `m${call}` };
				if (!health.refused) {
					health.refuse();
					throw unauthorized();
				}
				throw new Error('Expected token to be set for this request, but none was present');
			},
			edit: () => Promise.reject(new Error('unexpected edit'))
		};
		worker = new DeliveryWorker(() => Promise.resolve(store), sender, { pollMs: 10_000, backoffMs: () => 0, tokenRefused: () => health.refused });
		worker.start();
		await sleep(150);
		const callsWhenHeld = calls;
		for (let round = 0; round < 5; round++) {
			worker.wake();
			await sleep(20);
		}

		const rows = await store.allDeliveries();
		expect(rows).to.have.length(18);
		expect(rows.filter((row) => row.status === 'delivered')).to.have.length(4);
		expect(
			rows.filter((row) => row.status === 'dead' || row.status === 'failed'),
			'none dead or failed'
		).to.deep.equal([]);
		expect(rows.filter((row) => row.status !== 'delivered').map((row) => [row.status, row.attempts, row.last_error])).to.deep.equal(
			Array.from({ length: 14 }, () => ['pending', 0, null])
		);
		expect(worker.held).to.equal(true);
		expect(calls, 'no send after the worker stopped claiming rows').to.equal(callsWhenHeld);
		expect(calls, 'at most one refused send per channel').to.be.at.most(4 + 3);
		expect(
			warnings.filter((line) => line.includes('held until the bot restarts')),
			'one warning, not one per row'
		).to.have.length(1);
	});

	it('GIVEN a 401 from a sender that is not watched (DiscordAPIError only) THEN the worker holds all the same', async () => {
		let calls = 0;
		worker = new DeliveryWorker(
			() => Promise.resolve(store),
			{ post: () => (++calls, Promise.reject(unauthorized())), edit: () => Promise.reject(unauthorized()) },
			{ pollMs: 10_000, tokenRefused: () => false }
		);
		worker.start();
		await sleep(100);
		const rows = await store.allDeliveries();
		expect(rows.every((row) => row.status === 'pending' && row.attempts === 0)).to.equal(true);
		expect(worker.held).to.equal(true);
		expect(calls).to.be.at.most(3);
	});

	it('GIVEN the token refused THEN the health logs one error however often it is told, and readiness fails with the reason', async () => {
		const errors: string[] = [];
		const health = new DiscordTokenHealth({ error: (message) => errors.push(message) });
		const heard: number[] = [];
		health.onRefused(() => heard.push(1));
		const readiness = new Readiness().add({ name: 'gateway', check: () => Promise.resolve(true) }).add(health.readinessCheck());
		expect(await readiness.report()).to.deep.equal({ ready: true, checks: { gateway: true, discord_token: true }, reasons: {} });
		for (let index = 0; index < 20; index++) health.refuse();
		expect(errors).to.have.length(1);
		expect(errors[0]).to.include(TOKEN_REFUSED_REASON);
		expect(heard).to.deep.equal([1]);
		expect(await readiness.report()).to.deep.equal({
			ready: false,
			checks: { gateway: true, discord_token: false },
			reasons: { discord_token: TOKEN_REFUSED_REASON }
		});
	});
});
