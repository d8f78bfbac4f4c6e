import { expect } from 'chai';
import { clientShardOptions, publishesCommands, shardPlanOf } from '../../../src/core/cluster/shard-plan.js';
import { parseEnvironment } from '../../../src/core/env.js';
import { parseShardIds } from '../../../src/core/environment/shard-variables.js';
import { problemsOf } from '../../helpers/environment-problems.js';

const VALID = {
	DISCORD_TOKEN: 'token-value',
	KALTURA_PARTNER_ID: '12345',
	KALTURA_ADMIN_SECRET: 'a-long-admin-secret',
	JWT_SECRET: 'x'.repeat(32),
	REDIS_URL: 'redis://127.0.0.1:6379'
};

describe('Shard variables', () => {
	it('GIVEN no shard variable THEN one process runs every shard of the count Discord recommends', () => {
		const plan = shardPlanOf(parseEnvironment(VALID));
		expect(plan).to.deep.equal({ kind: 'auto' });
		expect(clientShardOptions(plan)).to.deep.equal({ shards: 'auto' });
		expect(publishesCommands(plan)).to.equal(true);
	});

	it('GIVEN SHARD_IDS as ranges and lists THEN they are parsed, sorted and without repeats', () => {
		expect(parseShardIds('4-5, 0,2-3,2')).to.deep.equal([0, 2, 3, 4, 5]);
		for (const bad of ['', 'a', '3-1', '1-', '-1', '0;1']) expect(parseShardIds(bad), bad).to.equal(null);
	});

	it('GIVEN SHARD_COUNT 6 and SHARD_IDS 2-3 THEN this process runs shards 2 and 3 of 6 and does not publish commands', () => {
		const plan = shardPlanOf(parseEnvironment({ ...VALID, SHARD_COUNT: '6', SHARD_IDS: '2-3' }));
		expect(plan).to.deep.equal({ kind: 'part', count: 6, ids: [2, 3] });
		expect(clientShardOptions(plan)).to.deep.equal({ shards: [2, 3], shardCount: 6 });
		expect(publishesCommands(plan)).to.equal(false);
	});

	it('GIVEN a StatefulSet ordinal and SHARDS_PER_PROCESS THEN the ordinal picks the range, the last process running fewer', () => {
		const part = (ordinal: number) =>
			shardPlanOf(parseEnvironment({ ...VALID, SHARD_COUNT: '5', SHARDS_PER_PROCESS: '2', SHARD_ORDINAL: String(ordinal) }));
		expect(part(0)).to.deep.equal({ kind: 'part', count: 5, ids: [0, 1] });
		expect(part(2)).to.deep.equal({ kind: 'part', count: 5, ids: [4] });
		expect(publishesCommands(part(0))).to.equal(true);
		expect(problemsOf({ ...VALID, SHARD_COUNT: '5', SHARDS_PER_PROCESS: '2', SHARD_ORDINAL: '3' }))
			.to.have.property('SHARD_ORDINAL')
			.that.includes('no shard');
	});

	it('GIVEN every shard named THEN the process runs the whole count', () => {
		expect(shardPlanOf(parseEnvironment({ ...VALID, SHARD_COUNT: '2', SHARD_IDS: '0-1' }))).to.deep.equal({ kind: 'whole', count: 2 });
	});

	it('GIVEN inconsistent shard variables THEN each is refused with the reason, before anything connects', () => {
		expect(problemsOf({ ...VALID, SHARD_IDS: '0-1' }))
			.to.have.property('SHARD_COUNT')
			.that.includes('must be a number');
		expect(problemsOf({ ...VALID, SHARD_COUNT: 'auto', SHARD_IDS: '0' })).to.have.property('SHARD_COUNT');
		expect(problemsOf({ ...VALID, SHARD_COUNT: '3', SHARD_IDS: '2-3' }))
			.to.have.property('SHARD_IDS')
			.that.includes('names shard 3');
		expect(problemsOf({ ...VALID, SHARD_COUNT: '3', SHARD_IDS: 'x' })).to.deep.equal({
			SHARD_IDS: 'must list shard ids or ranges, such as 0-3 or 0,2,5'
		});
		expect(problemsOf({ ...VALID, SHARD_COUNT: 'many' })).to.have.property('SHARD_COUNT');
		expect(problemsOf({ ...VALID, SHARD_COUNT: '4', SHARDS_PER_PROCESS: '2' })).to.have.property('SHARD_ORDINAL');
		expect(problemsOf({ ...VALID, SHARD_COUNT: '4', SHARD_IDS: '0', SHARD_ORDINAL: '0', SHARDS_PER_PROCESS: '1' })).to.have.property('SHARD_IDS');
		const { REDIS_URL: _redis, ...withoutRedis } = VALID;
		expect(problemsOf({ ...withoutRedis, SHARD_COUNT: '2', SHARD_IDS: '1' }))
			.to.have.property('REDIS_URL')
			.that.includes('only some shards');
	});
});
