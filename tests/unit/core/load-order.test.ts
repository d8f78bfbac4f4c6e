import { expect } from 'chai';
import type { DiscoveredPlugin } from '../../../src/core/plugins/discovery.js';
import { resolveLoadOrder } from '../../../src/core/plugins/load-order.js';

const plugin = (name: string, requires: Record<string, string> = {}, version = '1.0.0', core = '^1.0.0'): DiscoveredPlugin => ({
	directory: `/plugins/${name}`,
	extension: '.ts',
	generation: 0,
	manifest: { name, version, description: name, core, requires, enabledByDefault: true }
});

describe('resolveLoadOrder', () => {
	it('GIVEN requirements THEN every plugin comes after the plugins it requires', () => {
		const { ordered, refused } = resolveLoadOrder([plugin('c', { b: '^1.0.0' }), plugin('b', { a: '^1.0.0' }), plugin('a')], '1.0.0');
		expect(ordered.map(({ manifest }) => manifest.name)).to.deep.equal(['a', 'b', 'c']);
		expect(refused).to.deep.equal([]);
	});

	it('GIVEN a required version out of range THEN the plugin is refused naming both versions', () => {
		const { refused } = resolveLoadOrder([plugin('a', {}, '2.1.0'), plugin('b', { a: '^1.0.0' })], '1.0.0');
		expect(refused).to.deep.equal([{ name: 'b', kind: 'incompatible', reason: 'it requires "a" ^1.0.0 but 2.1.0 is installed' }]);
	});

	it('GIVEN a refusal THEN it cascades to every plugin that requires the refused one', () => {
		const { ordered, refused } = resolveLoadOrder(
			[plugin('a', {}, '1.0.0', '^3.0.0'), plugin('b', { a: '*' }), plugin('c', { b: '*' }), plugin('d')],
			'1.0.0'
		);
		expect(ordered.map(({ manifest }) => manifest.name)).to.deep.equal(['d']);
		expect(refused.map(({ name }) => name)).to.have.members(['a', 'b', 'c']);
	});

	it('GIVEN a cycle THEN its members are refused and the rest load', () => {
		const { ordered, refused } = resolveLoadOrder([plugin('a', { b: '*' }), plugin('b', { a: '*' }), plugin('c')], '1.0.0');
		expect(ordered.map(({ manifest }) => manifest.name)).to.deep.equal(['c']);
		expect(refused).to.deep.equal([
			{ name: 'a', kind: 'broken', reason: 'its requirements form a cycle' },
			{ name: 'b', kind: 'broken', reason: 'its requirements form a cycle' }
		]);
	});
});
