import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { LocalInvalidationBus, RedisInvalidationBus, createInvalidationBus } from '../../../src/core/storage/invalidation-bus.js';
import type { InvalidationBus } from '../../../src/core/storage/invalidation-bus.js';
import { requireRedisOrSkip } from './redis-availability.js';

/** Channels of this run, so parallel runs on one Redis do not hear each other. */
const RUN_ID = randomBytes(4).toString('hex');
const channel = (name: string) => `test:${RUN_ID}:${name}`;

/** Redis delivers asynchronously; a message that has not arrived by then is treated as lost. */
const DELIVERY_TIMEOUT_MS = 2000;

/** Collects what a subscriber receives and lets a test wait for a given message. */
class Inbox {
	public readonly messages: string[] = [];
	readonly #waiters: { message: string; resolve: () => void }[] = [];

	public readonly handler = (message: string): void => {
		this.messages.push(message);
		for (const waiter of this.#waiters.filter((candidate) => candidate.message === message)) waiter.resolve();
	};

	public async received(message: string): Promise<void> {
		if (this.messages.includes(message)) return;
		let timer: NodeJS.Timeout | undefined;
		try {
			await new Promise<void>((resolve, reject) => {
				this.#waiters.push({ message, resolve });
				timer = setTimeout(
					() => reject(new Error(`"${message}" not received within ${DELIVERY_TIMEOUT_MS} ms; got ${JSON.stringify(this.messages)}`)),
					DELIVERY_TIMEOUT_MS
				);
			});
		} finally {
			clearTimeout(timer);
		}
	}
}

describe('LocalInvalidationBus', function () {
	let bus: LocalInvalidationBus;

	beforeEach(function () {
		bus = new LocalInvalidationBus();
	});

	afterEach(async function () {
		await bus.close();
	});

	it('GIVEN two subscribers of a channel THEN a published message reaches both', async function () {
		const first = new Inbox();
		const second = new Inbox();
		await bus.subscribe('guild-config', first.handler);
		await bus.subscribe('guild-config', second.handler);

		await bus.publish('guild-config', 'guild-1');

		expect(first.messages).to.deep.equal(['guild-1']);
		expect(second.messages).to.deep.equal(['guild-1']);
	});

	it('GIVEN subscribers of different channels THEN each hears only its own channel', async function () {
		const config = new Inbox();
		const roles = new Inbox();
		await bus.subscribe('guild-config', config.handler);
		await bus.subscribe('roles', roles.handler);

		await bus.publish('roles', 'role-7');

		expect(roles.messages).to.deep.equal(['role-7']);
		expect(config.messages).to.deep.equal([]);
	});

	it('GIVEN a closed bus THEN subscribers hear nothing more and publishing rejects', async function () {
		const inbox = new Inbox();
		await bus.subscribe('guild-config', inbox.handler);

		await bus.close();
		let failure: unknown;
		await bus.publish('guild-config', 'after-close').catch((error: unknown) => (failure = error));

		expect(inbox.messages).to.deep.equal([]);
		expect(failure)
			.to.be.instanceOf(Error)
			.with.property('message')
			.that.matches(/closed/);
	});

	it('GIVEN a handler that throws THEN the other handlers still run, publish resolves and onError hears it', async function () {
		const reported: unknown[] = [];
		const guarded = new LocalInvalidationBus({ onError: (error) => reported.push(error) });
		const inbox = new Inbox();
		try {
			await guarded.subscribe('guild-config', () => {
				throw new Error('handler bug');
			});
			await guarded.subscribe('guild-config', inbox.handler);

			await guarded.publish('guild-config', 'guild-2');

			expect(inbox.messages).to.deep.equal(['guild-2']);
			expect(reported).to.have.length(1);
			expect(reported[0]).to.be.instanceOf(Error).with.property('message', 'handler bug');
		} finally {
			await guarded.close();
		}
	});
});

describe('RedisInvalidationBus', function () {
	let url: string;
	/** Two buses with their own connections stand for two running instances of the bot. */
	let instanceA: RedisInvalidationBus;
	let instanceB: RedisInvalidationBus;

	before(async function () {
		url = await requireRedisOrSkip(this);
	});

	beforeEach(async function () {
		instanceA = await RedisInvalidationBus.connect(url);
		instanceB = await RedisInvalidationBus.connect(url);
	});

	afterEach(async function () {
		await Promise.all([instanceA?.close(), instanceB?.close()]);
	});

	it('GIVEN subscribers on instances A and B THEN a message published by A reaches both', async function () {
		const onA = new Inbox();
		const onB = new Inbox();
		await instanceA.subscribe(channel('config'), onA.handler);
		await instanceB.subscribe(channel('config'), onB.handler);

		await instanceA.publish(channel('config'), 'guild-1');

		await Promise.all([onA.received('guild-1'), onB.received('guild-1')]);
		expect(onA.messages).to.deep.equal(['guild-1']);
		expect(onB.messages).to.deep.equal(['guild-1']);
	});

	it('GIVEN a subscriber of one channel THEN messages on another channel do not reach it', async function () {
		const config = new Inbox();
		await instanceB.subscribe(channel('config'), config.handler);

		await instanceA.publish(channel('roles'), 'role-7');
		// One publishing connection and one subscribing connection keep order: once the marker has
		// arrived, the earlier message would have arrived too.
		await instanceA.publish(channel('config'), 'marker');
		await config.received('marker');

		expect(config.messages).to.deep.equal(['marker']);
	});

	it('GIVEN instance B closed THEN its subscribers hear nothing more while A still delivers', async function () {
		const onA = new Inbox();
		const onB = new Inbox();
		await instanceA.subscribe(channel('config'), onA.handler);
		await instanceB.subscribe(channel('config'), onB.handler);

		await instanceB.close();
		await instanceA.publish(channel('config'), 'after-close');
		await onA.received('after-close');
		// B's connection is gone, so nothing can be in flight to it; the pause only guards against a regression that keeps it open.
		await sleep(100);

		expect(onB.messages).to.deep.equal([]);
	});

	it('GIVEN a closed bus THEN publishing on it rejects', async function () {
		await instanceA.close();

		let failure: unknown;
		await instanceA.publish(channel('config'), 'x').catch((error: unknown) => (failure = error));

		expect(failure)
			.to.be.instanceOf(Error)
			.with.property('message')
			.that.matches(/closed/);
	});

	it('GIVEN a handler that throws THEN delivery continues and onError hears it', async function () {
		const reported: unknown[] = [];
		const guarded = await RedisInvalidationBus.connect(url, { onError: (error) => reported.push(error) });
		const inbox = new Inbox();
		try {
			await guarded.subscribe(channel('config'), () => {
				throw new Error('handler bug');
			});
			await guarded.subscribe(channel('config'), inbox.handler);

			await instanceA.publish(channel('config'), 'first');
			await instanceA.publish(channel('config'), 'second');
			await inbox.received('second');

			expect(inbox.messages).to.deep.equal(['first', 'second']);
			expect(reported.map((error) => (error as Error).message)).to.deep.equal(['handler bug', 'handler bug']);
		} finally {
			await guarded.close();
		}
	});

	it('GIVEN REDIS_URL THEN createInvalidationBus connects a Redis bus that reaches other instances', async function () {
		const bus: InvalidationBus = await createInvalidationBus({ REDIS_URL: url });
		const onA = new Inbox();
		try {
			await instanceA.subscribe(channel('factory'), onA.handler);

			await bus.publish(channel('factory'), 'from-factory');

			await onA.received('from-factory');
			expect(bus).to.be.instanceOf(RedisInvalidationBus);
		} finally {
			await bus.close();
		}
	});
});

describe('createInvalidationBus', function () {
	it('GIVEN no REDIS_URL THEN the bus is in-process', async function () {
		const bus = await createInvalidationBus({});
		try {
			expect(bus).to.be.instanceOf(LocalInvalidationBus);
		} finally {
			await bus.close();
		}
	});
});

describe('RedisInvalidationBus.connect to a Redis that is down', function () {
	it('GIVEN nothing listening on the port THEN connect rejects within 3 s with an error naming the server', async function () {
		const started = Date.now();
		let failure: unknown;

		await RedisInvalidationBus.connect('redis://127.0.0.1:1').catch((error: unknown) => (failure = error));

		expect(Date.now() - started).to.be.below(3000);
		expect(failure).to.be.instanceOf(Error).with.property('message').that.includes('redis://127.0.0.1:1');
	});
});
