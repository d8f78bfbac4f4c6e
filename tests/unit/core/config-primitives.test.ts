import { expect } from 'chai';
import { deepMerge } from '../../../src/core/config/deep-merge.js';
import { ConfigPathError, deleteAtPath, parsePath, setAtPath } from '../../../src/core/config/object-path.js';
import { fillPlaceholders } from '../../../src/core/config/placeholders.js';

describe('config primitives', () => {
	it('GIVEN nested objects and arrays THEN objects merge deeply and arrays replace', () => {
		const merged = deepMerge({ a: { b: 1, c: [1, 2, 3], d: { e: 1 } }, f: 1 }, { a: { c: [9], d: { g: 2 } }, h: 3 });
		expect(merged).to.deep.equal({ a: { b: 1, c: [9], d: { e: 1, g: 2 } }, f: 1, h: 3 });
	});

	it('GIVEN a merge THEN neither input is changed', () => {
		const base = { a: { b: 1 } };
		deepMerge(base, { a: { b: 2 } });
		expect(base).to.deep.equal({ a: { b: 1 } });
	});

	it('GIVEN {{NAME}} placeholders THEN they are filled from the environment and missing ones are reported with their path', () => {
		const { value, missing } = fillPlaceholders({ url: 'https://{{HOST}}/x', list: ['{{ MISSING }}'], n: 1 }, { HOST: 'example.com' });
		expect(value).to.deep.equal({ url: 'https://example.com/x', list: [''], n: 1 });
		expect(missing).to.deep.equal([{ path: 'list[0]', variable: 'MISSING' }]);
	});

	for (const bad of ['', 'a..b', '__proto__.polluted', 'a.constructor', 'a b', 'a.b.c.d.e.f.g.h.i']) {
		it(`GIVEN the path ${JSON.stringify(bad)} THEN it is refused`, () => {
			expect(() => parsePath(bad)).to.throw(ConfigPathError);
		});
	}

	it('GIVEN set and delete by path THEN copies are returned and emptied parents pruned', () => {
		const original = { a: { b: 1 } };
		const set = setAtPath(original, ['a', 'c', 'd'], 2);
		expect(set).to.deep.equal({ a: { b: 1, c: { d: 2 } } });
		expect(original).to.deep.equal({ a: { b: 1 } });
		expect(deleteAtPath(set, ['a', 'c', 'd'])).to.deep.equal({ a: { b: 1 } });
		expect(deleteAtPath({ a: { b: 1 } }, ['a', 'b'])).to.deep.equal({});
	});
});
