import { expect } from 'chai';
import { TimelyAutocomplete } from '../../../src/core/discord/timely-autocomplete.js';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A load that answers `value` after `ms`, counting its calls. */
function slowLoad<T>(ms: number, value: (call: number) => T) {
	let calls = 0;
	const load = async () => {
		const call = ++calls;
		await sleep(ms);
		return value(call);
	};
	return { load, calls: () => calls };
}

describe('core: TimelyAutocomplete (answers within a budget from a per-key cache)', () => {
	it('GIVEN a load slower than the budget THEN nothing in time, one load in the background, and its value next time', async () => {
		const pending: ((value: string[]) => void)[] = [];
		const suggestions = new TimelyAutocomplete(() => new Promise<string[]>((resolve) => pending.push(resolve)), { budgetMs: 40 });
		const startedAt = Date.now();
		expect(await suggestions.get('g1', startedAt)).to.equal(undefined);
		expect(Date.now() - startedAt).to.be.at.least(35);
		expect(await suggestions.get('g1')).to.equal(undefined, 'still loading: no second load, nothing yet');
		expect(pending).to.have.length(1);
		pending[0]!(['a']);
		await sleep(0);
		expect(await suggestions.get('g1')).to.deep.equal({ value: ['a'], stale: false });
		expect(pending).to.have.length(1);
	});

	it('GIVEN a load faster than the budget THEN its value at once', async () => {
		const suggestions = new TimelyAutocomplete(slowLoad(5, () => 'fresh').load, { budgetMs: 200 });
		expect(await suggestions.get('g1')).to.deep.equal({ value: 'fresh', stale: false });
	});

	it('GIVEN the time spent before counts THEN a budget already used up answers from what is kept, without waiting', async () => {
		const suggestions = new TimelyAutocomplete(slowLoad(50, () => 'late').load, { budgetMs: 100, onError: () => undefined });
		const startedAt = Date.now() - 150;
		expect(await suggestions.get('g1', startedAt)).to.equal(undefined);
	});

	it('GIVEN a value older than freshMs and a slow source THEN the kept value answers in time while a new one loads', async () => {
		// Loads that answer when the test says so.
		const pending: ((value: string) => void)[] = [];
		const suggestions = new TimelyAutocomplete(() => new Promise<string>((resolve) => pending.push(resolve)), {
			budgetMs: 1_000,
			freshMs: 200,
			keepMs: 10_000
		});
		const first = suggestions.get('g1');
		pending[0]!('v1');
		expect(await first).to.deep.equal({ value: 'v1', stale: false });
		await sleep(250);
		// 20 ms of the budget left: the new load is not waited for beyond them.
		const startedAt = Date.now() - 980;
		expect(await suggestions.get('g1', startedAt)).to.deep.equal({ value: 'v1', stale: true });
		expect(pending).to.have.length(2);
		pending[1]!('v2');
		await sleep(0);
		expect(await suggestions.get('g1')).to.deep.equal({ value: 'v2', stale: false });
		expect(pending, 'no load while the value is fresh').to.have.length(2);
	});

	it('GIVEN keys THEN each has its own cache', async () => {
		const suggestions = new TimelyAutocomplete((key: string) => Promise.resolve(key.toUpperCase()), { budgetMs: 100 });
		expect((await suggestions.get('a'))?.value).to.equal('A');
		expect((await suggestions.get('b'))?.value).to.equal('B');
	});

	it('GIVEN a load that fails within the budget with nothing kept THEN get rejects; one that fails after the answer is reported, never unhandled', async () => {
		const reported: unknown[] = [];
		const failing = new TimelyAutocomplete(() => Promise.reject(new Error('Kaltura down')), {
			budgetMs: 100,
			onError: (_key, error) => reported.push(error)
		});
		let caught: unknown;
		try {
			await failing.get('g1');
		} catch (error) {
			caught = error;
		}
		expect((caught as Error).message).to.equal('Kaltura down');
		const late = new TimelyAutocomplete(
			async () => {
				await sleep(50);
				throw new Error('late');
			},
			{ budgetMs: 10, onError: (_key, error) => reported.push(error) }
		);
		expect(await late.get('g1')).to.equal(undefined);
		await sleep(80);
		expect(reported.map((error) => (error as Error).message)).to.deep.equal(['Kaltura down', 'late']);
	});

	it('GIVEN maxKeys THEN the least recently loaded key is forgotten', async () => {
		let calls = 0;
		const suggestions = new TimelyAutocomplete((key: string) => Promise.resolve(`${key}${++calls}`), { budgetMs: 100, maxKeys: 2 });
		await suggestions.get('a');
		await suggestions.get('b');
		await suggestions.get('c');
		expect((await suggestions.get('b'))?.value).to.equal('b2');
		expect((await suggestions.get('a'))?.value).to.equal('a4');
	});
});
