import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { Keyv } from 'keyv';
import { backendFromEnvironment, closeKeyv, createKeyv } from '../../../src/core/storage/keyv-factory.js';
import type { KeyvBackend } from '../../../src/core/storage/keyv-factory.js';
import { requireRedisOrSkip } from './redis-availability.js';

/** Distinguishes this run's namespaces from those of runs sharing the same Redis. */
const RUN_ID = randomBytes(4).toString('hex');

interface ContractOptions {
	/** Whether data outlives the Keyv that wrote it (a file or a server), so reopening can be tested. */
	readonly persistent: boolean;
}

/**
 * What every backend must do for the bot's stores to behave the same whichever one is configured.
 * `prepareBackend` runs in a before() hook and may skip the suite.
 */
function keyvContract(label: string, prepareBackend: (context: Mocha.Context) => Promise<KeyvBackend>, options: ContractOptions): void {
	describe(`Keyv contract: ${label}`, function () {
		let backend: KeyvBackend;
		let open: Keyv<unknown>[] = [];

		before(async function () {
			backend = await prepareBackend(this);
		});

		// Cleared before closing so a shared Redis keeps no keys from this run.
		afterEach(async function () {
			const toClose = open;
			open = [];
			for (const keyv of toClose) {
				await keyv.clear();
				await closeKeyv(keyv);
			}
		});

		function openKeyv<Value>(name: string): Keyv<Value> {
			const keyv = createKeyv<Value>(backend, `test-${RUN_ID}-${name}`);
			open.push(keyv);
			return keyv;
		}

		async function closeEarly(keyv: Keyv<unknown>): Promise<void> {
			open = open.filter((candidate) => candidate !== keyv);
			await closeKeyv(keyv);
		}

		it('GIVEN a nested JSON object THEN get returns an equal copy of it', async function () {
			const keyv = openKeyv<object>('roundtrip');
			const value = {
				guild: { id: '1234567890', name: 'Kaltura fans ✨', roles: ['admin', 'viewer'] },
				limits: { uploads: 3, ratio: 0.5, enabled: true, expiresAt: null },
				history: [
					{ at: 1, by: 'a' },
					{ at: 2, by: 'b' }
				]
			};

			await keyv.set('guild:1', value);
			const stored = await keyv.get('guild:1');

			expect(stored).to.deep.equal(value);
			expect(stored).to.not.equal(value);
		});

		it('GIVEN a key that was never set THEN get resolves undefined', async function () {
			const keyv = openKeyv<string>('missing');

			expect(await keyv.get('never-set')).to.equal(undefined);
		});

		it('GIVEN an existing key THEN delete returns true and the key is gone', async function () {
			const keyv = openKeyv<string>('delete');
			await keyv.set('present', 'value');

			expect(await keyv.delete('present')).to.equal(true);
			expect(await keyv.get('present')).to.equal(undefined);
		});

		it('GIVEN a key that does not exist THEN delete returns false', async function () {
			const keyv = openKeyv<string>('delete-missing');

			expect(await keyv.delete('absent')).to.equal(false);
		});

		it('GIVEN a key set twice THEN get returns the second value', async function () {
			const keyv = openKeyv<{ version: number }>('overwrite');

			await keyv.set('item', { version: 1 });
			await keyv.set('item', { version: 2 });

			expect(await keyv.get('item')).to.deep.equal({ version: 2 });
		});

		it('GIVEN a value set with a 50 ms TTL THEN it is readable at once and gone after the TTL', async function () {
			const keyv = openKeyv<string>('ttl');
			await keyv.set('short-lived', 'value', 50);
			await keyv.set('long-lived', 'value');

			expect(await keyv.get('short-lived')).to.equal('value');
			await sleep(150);

			expect(await keyv.get('short-lived')).to.equal(undefined);
			expect(await keyv.get('long-lived')).to.equal('value');
		});

		it('GIVEN two namespaces on one backend THEN the same key holds independent values', async function () {
			const users = openKeyv<string>('users');
			const guilds = openKeyv<string>('guilds');

			await users.set('42', 'a user');
			await guilds.set('42', 'a guild');
			await users.set('only-in-users', 'x');

			expect(await users.get('42')).to.equal('a user');
			expect(await guilds.get('42')).to.equal('a guild');
			expect(await guilds.get('only-in-users')).to.equal(undefined);
			expect(await guilds.delete('only-in-users')).to.equal(false);
			expect(await users.get('only-in-users')).to.equal('x');
		});

		it('GIVEN two namespaces on one backend THEN clear() of one leaves the other intact', async function () {
			const cleared = openKeyv<string>('cleared');
			const kept = openKeyv<string>('kept');
			await cleared.set('a', '1');
			await cleared.set('b', '2');
			await kept.set('a', 'stays');

			await cleared.clear();

			expect(await cleared.get('a')).to.equal(undefined);
			expect(await cleared.get('b')).to.equal(undefined);
			expect(await kept.get('a')).to.equal('stays');
		});

		if (options.persistent) {
			it('GIVEN a value written and its Keyv closed THEN a new Keyv on the same backend reads it back', async function () {
				const writer = openKeyv<{ persisted: boolean }>('reopen');
				await writer.set('survivor', { persisted: true });
				await closeEarly(writer);

				const reader = openKeyv<{ persisted: boolean }>('reopen');

				expect(await reader.get('survivor')).to.deep.equal({ persisted: true });
			});
		}

		it('GIVEN 200 concurrent sets from fresh Keyvs in two namespaces THEN every value is readable afterwards', async function () {
			// Fresh Keyvs, so the writes race the connection being opened; two namespaces, so for SQLite two connections write to one file.
			const left = openKeyv<{ index: number }>('concurrent-left');
			const right = openKeyv<{ index: number }>('concurrent-right');
			const indexes = Array.from({ length: 200 }, (_, index) => index);
			const storeFor = (index: number) => (index % 2 === 0 ? left : right);

			const results = await Promise.all(indexes.map((index) => storeFor(index).set(`key-${index}`, { index })));
			const values = await Promise.all(indexes.map((index) => storeFor(index).get(`key-${index}`)));

			expect(results.every((result) => result === true)).to.equal(true);
			expect(values).to.deep.equal(indexes.map((index) => ({ index })));
		});
	});
}

let sqliteDirectory: string;

before(function () {
	sqliteDirectory = mkdtempSync(join(tmpdir(), 'keyv-contract-'));
});

after(function () {
	rmSync(sqliteDirectory, { recursive: true, force: true });
});

keyvContract('memory', async () => ({ kind: 'memory' }), { persistent: false });
keyvContract('SQLite', async () => ({ kind: 'sqlite', file: join(sqliteDirectory, 'contract', 'keyv.sqlite') }), { persistent: true });
keyvContract('Redis', async (context) => ({ kind: 'redis', url: await requireRedisOrSkip(context) }), { persistent: true });

describe('backendFromEnvironment', function () {
	it('GIVEN REDIS_URL THEN the backend is that Redis', function () {
		expect(backendFromEnvironment({ REDIS_URL: 'redis://cache:6379', DATA_DIR: '/data' })).to.deep.equal({
			kind: 'redis',
			url: 'redis://cache:6379'
		});
	});

	it('GIVEN no REDIS_URL THEN the backend is keyv.sqlite under DATA_DIR', function () {
		expect(backendFromEnvironment({ DATA_DIR: '/data' })).to.deep.equal({ kind: 'sqlite', file: join('/data', 'keyv.sqlite') });
	});

	it('GIVEN an empty REDIS_URL THEN it counts as unset', function () {
		expect(backendFromEnvironment({ REDIS_URL: '', DATA_DIR: 'data' })).to.deep.equal({ kind: 'sqlite', file: join('data', 'keyv.sqlite') });
	});
});

describe('createKeyv', function () {
	for (const namespace of ['', 'Users', 'guild:config', 'guild_config', 'guild%', 'guild*', '-leading-dash']) {
		it(`GIVEN the namespace ${JSON.stringify(namespace)} THEN it is refused before it can overlap another`, function () {
			expect(() => createKeyv({ kind: 'memory' }, namespace)).to.throw(/Invalid Keyv namespace/);
		});
	}

	it('GIVEN a SQLite file in directories that do not exist THEN they are created and the store works', async function () {
		const file = join(sqliteDirectory, 'not', 'yet', 'there', 'keyv.sqlite');
		const keyv = createKeyv<string>({ kind: 'sqlite', file }, 'nested');
		try {
			await keyv.set('k', 'v');

			expect(existsSync(file)).to.equal(true);
			expect(await keyv.get('k')).to.equal('v');
		} finally {
			await closeKeyv(keyv);
		}
	});

	it('GIVEN a SQLite file that cannot be opened THEN operations reject, onError hears it and nothing is left unhandled', async function () {
		const unopenable = join(sqliteDirectory, 'a-directory.sqlite');
		mkdirSync(unopenable);
		const unhandled: unknown[] = [];
		const recordUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', recordUnhandled);
		const reported: unknown[] = [];
		try {
			const keyv = createKeyv<string>({ kind: 'sqlite', file: unopenable }, 'broken', { onError: (error) => reported.push(error) });
			// Long enough for the failed open to settle before any operation observes it.
			await sleep(200);

			let failure: unknown;
			await keyv.get('k').catch((error: unknown) => (failure = error));
			await closeKeyv(keyv);

			expect(failure)
				.to.be.instanceOf(Error)
				.with.property('message')
				.that.matches(/SQLITE_CANTOPEN/);
			expect(reported).to.have.length.greaterThan(0);
			expect(unhandled).to.deep.equal([]);
		} finally {
			process.off('unhandledRejection', recordUnhandled);
		}
	});

	it('GIVEN an unreachable Redis THEN get, set and clear reject within 2 s naming the server, and onError hears it', async function () {
		const reported: unknown[] = [];
		const keyv = createKeyv<string>({ kind: 'redis', url: 'redis://:s3cret@127.0.0.1:1' }, 'unreachable', {
			onError: (error) => reported.push(error)
		});
		try {
			const started = Date.now();
			const outcomes = await Promise.allSettled([keyv.get('k'), keyv.set('k', 'v'), keyv.clear()]);
			const elapsed = Date.now() - started;

			expect(elapsed).to.be.below(2000);
			for (const outcome of outcomes) {
				expect(outcome.status).to.equal('rejected');
				const { message } = (outcome as PromiseRejectedResult).reason as Error;
				expect(message).to.include('127.0.0.1:1');
				expect(message).to.not.include('s3cret');
			}
			expect(reported).to.have.length.greaterThan(0);
		} finally {
			await closeKeyv(keyv);
		}
	});
});
