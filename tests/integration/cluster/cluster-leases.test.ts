import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { ClusterIdentifyThrottler } from '../../../src/core/cluster/identify-throttler.js';
import { LocalLeaseStore, RedisLeaseStore, type LeaseStore } from '../../../src/core/cluster/lease-store.js';
import { PeriodicRuns } from '../../../src/core/cluster/periodic-runs.js';
import { ShardHeldError, ShardLeases } from '../../../src/core/cluster/shard-leases.js';
import { ShardCountMismatchError, shardCountClaim } from '../../../src/core/cluster/shard-count-claim.js';
import { SqliteAcrossMachinesError, sqliteHostClaim } from '../../../src/core/cluster/sqlite-host-guard.js';
import { rejectionOf } from '../../helpers/rejection-of.js';
import { requireRedisOrSkip } from '../storage/redis-availability.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each "process" below has a connection of its own, as separate bot processes would. */
const stores: { name: string; open: (context: Mocha.Context) => Promise<() => Promise<LeaseStore>> }[] = [
	{
		name: 'Redis',
		open: async (context) => {
			const url = await requireRedisOrSkip(context);
			return () => RedisLeaseStore.connect(url);
		}
	},
	{
		name: 'one process (no Redis)',
		open: () => {
			const shared = new LocalLeaseStore();
			return Promise.resolve(() => Promise.resolve(shared));
		}
	}
];

for (const { name, open } of stores) {
	describe(`Cluster leases (${name})`, () => {
		let connect: () => Promise<LeaseStore>;
		const opened: LeaseStore[] = [];
		let prefix: string;
		const member = async () => {
			const store = await connect();
			opened.push(store);
			return store;
		};

		before(async function () {
			connect = await open(this);
		});
		beforeEach(() => {
			prefix = `test:${randomBytes(6).toString('hex')}:`;
		});
		after(async () => {
			await Promise.all(opened.map((store) => store.close()));
		});

		it('GIVEN a lease THEN only its holder renews or releases it, and it expires', async () => {
			const [a, b] = [await member(), await member()];
			expect(await a.take(`${prefix}k`, 'a', 300)).to.equal(true);
			expect(await b.take(`${prefix}k`, 'b', 300)).to.equal(false);
			expect(await b.renew(`${prefix}k`, 'b', 300)).to.equal(false);
			await b.release(`${prefix}k`, 'b');
			expect((await a.holder(`${prefix}k`))?.holder).to.equal('a');
			expect(await a.renew(`${prefix}k`, 'a', 300)).to.equal(true);
			await pause(400);
			expect(await a.holder(`${prefix}k`)).to.equal(undefined);
			expect(await b.take(`${prefix}k`, 'b', 300)).to.equal(true);
		});

		it('GIVEN three processes asking for one periodic job THEN exactly one runs it per period', async () => {
			const runs = await Promise.all(['a', 'b', 'c'].map(async (holder) => new PeriodicRuns(await member(), prefix, holder)));
			const first = await Promise.all(runs.map((run) => run.claim('sweep', 400)));
			expect(first.filter(Boolean)).to.have.lengthOf(1);
			const again = await Promise.all(runs.map((run) => run.claim('sweep', 400)));
			expect(again.filter(Boolean), 'the same period').to.have.lengthOf(0);
			await pause(450);
			const next = await Promise.all(runs.map((run) => run.claim('sweep', 400)));
			expect(next.filter(Boolean), 'the next period').to.have.lengthOf(1);
		});

		it('GIVEN two processes identifying 6 shards with max_concurrency 1 THEN identifies are spaced by the slot, whoever sends them', async () => {
			const spacing = 150;
			const throttlers = await Promise.all(
				['a', 'b'].map(async (holder) => new ClusterIdentifyThrottler(await member(), prefix, holder, 1, spacing))
			);
			const times: number[] = [];
			const signal = new AbortController().signal;
			await Promise.all(
				[0, 1, 2, 3, 4, 5].map(async (shard) => {
					await (throttlers[shard % 2] ?? throttlers[0])?.waitForIdentify(shard, signal);
					times.push(performance.now());
				})
			);
			times.sort((x, y) => x - y);
			const gaps = times.slice(1).map((time, index) => time - (times[index] ?? time));
			expect(Math.min(...gaps), `gaps ${gaps.map(Math.round).join(', ')} ms`).to.be.at.least(spacing - 5);
		});

		it('GIVEN max_concurrency 2 THEN shards of different buckets identify together and those of one bucket wait', async () => {
			const throttler = new ClusterIdentifyThrottler(await member(), prefix, 'a', 2, 300);
			const signal = new AbortController().signal;
			const started = performance.now();
			await Promise.all([0, 1].map((shard) => throttler.waitForIdentify(shard, signal)));
			expect(performance.now() - started, 'buckets 0 and 1 at once').to.be.below(250);
			await throttler.waitForIdentify(2, signal);
			expect(performance.now() - started, 'shard 2 waits for bucket 0').to.be.at.least(295);
		});

		it('GIVEN a shard run by a live process THEN a second process waits a lease, then refuses', async () => {
			const lost: Error[] = [];
			const first = new ShardLeases({
				leases: await member(),
				keyPrefix: prefix,
				holder: 'host-a:1:x',
				count: 3,
				ids: [1],
				onLost: (e) => lost.push(e),
				ttlMs: 300
			});
			await first.acquire();
			const second = new ShardLeases({
				leases: await member(),
				keyPrefix: prefix,
				holder: 'host-b:2:y',
				count: 3,
				ids: [0, 1],
				onLost: () => undefined,
				ttlMs: 300
			});
			const started = Date.now();
			const error: unknown = await rejectionOf(second.acquire());
			if (!(error instanceof ShardHeldError)) throw new Error(`expected a ShardHeldError, got ${String(error)}`);
			expect(error.shardId).to.equal(1);
			expect(error.message).to.include('host-a');
			expect(Date.now() - started, 'it waited out a lease first').to.be.at.least(300);
			expect(second.held(), 'shard 0, taken first, was given back').to.deep.equal([]);
			expect(lost, 'the live holder kept renewing').to.deep.equal([]);
			await first.release();
		});

		it('GIVEN a process that died holding a shard THEN its successor takes the shard once the lease runs out', async () => {
			const leases = await member();
			await leases.take(`${prefix}shard:3:2`, 'dead:1:z', 400);
			const successor = new ShardLeases({
				leases: await member(),
				keyPrefix: prefix,
				holder: 'alive:2:w',
				count: 3,
				ids: [2],
				onLost: () => undefined,
				ttlMs: 400
			});
			const started = Date.now();
			await successor.acquire();
			expect(Date.now() - started).to.be.within(250, 2_000);
			expect((await leases.holder(successor.keyOf(2)))?.holder).to.equal('alive:2:w');
			await successor.release();
			expect(await leases.holder(successor.keyOf(2)), 'given back on stop').to.equal(undefined);
		});

		it('GIVEN a held shard taken by another process THEN the holder hears it lost the shard', async () => {
			const leases = await member();
			const lost: Error[] = [];
			const holder = new ShardLeases({
				leases,
				keyPrefix: prefix,
				holder: 'a:1:x',
				count: 2,
				ids: [0],
				onLost: (e) => lost.push(e),
				ttlMs: 300
			});
			await holder.acquire();
			await leases.release(holder.keyOf(0), 'a:1:x');
			await leases.take(holder.keyOf(0), 'b:2:y', 5_000);
			await pause(250);
			expect(lost).to.have.lengthOf(1);
			expect(lost[0]?.message).to.include('Shard 0 of 2 is no longer held');
			await holder.release();
		});

		it('GIVEN a process taking two shards, the second still held by a dead one THEN the first is kept while it waits', async () => {
			const leases = await member();
			await leases.take(`${prefix}shard:2:1`, 'dead:1:z', 280);
			const lost: Error[] = [];
			const successor = new ShardLeases({
				leases: await member(),
				keyPrefix: prefix,
				holder: 'alive:2:w',
				count: 2,
				ids: [0, 1],
				onLost: (e) => lost.push(e),
				ttlMs: 300
			});
			await successor.acquire();
			await pause(400);
			expect(lost, 'shard 0 kept through the wait').to.deep.equal([]);
			expect((await leases.holder(successor.keyOf(0)))?.holder).to.equal('alive:2:w');
			await successor.release();
		});

		it('GIVEN Redis stops answering renewals THEN the shards are given up before their lease could lapse', async () => {
			const real = await member();
			let hang = false;
			const hanging: LeaseStore = {
				take: (...args) => real.take(...args),
				renew: (...args) => (hang ? new Promise<boolean>(() => undefined) : real.renew(...args)),
				release: (...args) => real.release(...args),
				holder: (...args) => real.holder(...args),
				close: () => Promise.resolve()
			};
			const lost: number[] = [];
			const holder = new ShardLeases({
				leases: hanging,
				keyPrefix: prefix,
				holder: 'a:1:x',
				count: 1,
				ids: [0],
				onLost: () => lost.push(Date.now()),
				ttlMs: 600
			});
			await holder.acquire();
			const hungAt = Date.now();
			hang = true;
			await pause(700);
			expect(lost).to.have.lengthOf(1);
			expect((lost[0] ?? 0) - hungAt, 'lost before the lease ran out').to.be.below(600);
			await holder.release();
		});

		it('GIVEN processes of one shard count running THEN a process of another count refuses, and one of the same count joins', async () => {
			const conflicts: Error[] = [];
			const three = shardCountClaim(await member(), prefix, 3, (e) => conflicts.push(e));
			await three.claim();
			const alsoThree = shardCountClaim(await member(), prefix, 3, (e) => conflicts.push(e));
			await alsoThree.claim();
			const error: unknown = await rejectionOf(shardCountClaim(await member(), prefix, 2, (e) => conflicts.push(e)).claim(200));
			if (!(error instanceof ShardCountMismatchError)) throw new Error(`expected a ShardCountMismatchError, got ${String(error)}`);
			expect(error.message).to.include('SHARD_COUNT 3').and.include('this process has 2');
			expect(conflicts).to.deep.equal([]);
			three.stop();
			alsoThree.stop();
		});

		it('GIVEN SQLite and processes on two hosts THEN the second host refuses, and processes of one host share the data', async () => {
			const conflicts: Error[] = [];
			const a1 = sqliteHostClaim(await member(), prefix, 'host-a', (e) => conflicts.push(e));
			const a2 = sqliteHostClaim(await member(), prefix, 'host-a', (e) => conflicts.push(e));
			const b = sqliteHostClaim(await member(), prefix, 'host-b', (e) => conflicts.push(e));
			await a1.claim();
			await a2.claim();
			const error: unknown = await rejectionOf(b.claim());
			if (!(error instanceof SqliteAcrossMachinesError)) throw new Error(`expected a SqliteAcrossMachinesError, got ${String(error)}`);
			expect(error.message).to.include('host-a').and.include('MONGODB_URL');
			expect(conflicts).to.deep.equal([]);
			a1.stop();
			a2.stop();
		});
	});
}
