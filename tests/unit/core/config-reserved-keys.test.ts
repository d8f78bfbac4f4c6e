import { expect } from 'chai';
import { deepMerge } from '../../../src/core/config/deep-merge.js';
import { assertNoReservedKeys, ConfigPathError, findReservedKey, setAtPath, type JsonObject } from '../../../src/core/config/object-path.js';

/** What an admin types as JSON: `JSON.parse` keeps `"__proto__"` as an own key, unlike an object literal. */
const typed = (json: string) => JSON.parse(json) as JsonObject;

describe('config: keys that could reach a prototype', () => {
	it('GIVEN an override with an own __proto__ key THEN deepMerge leaves it out and the merged section keeps Object.prototype', () => {
		const merged = deepMerge({ 'role-mapping': { mappings: {} } }, typed('{"role-mapping":{"__proto__":{"defaultRole":"admin"}}}'));
		const section = merged['role-mapping'] as JsonObject;
		expect(Object.getPrototypeOf(section)).to.equal(Object.prototype);
		expect(section.defaultRole).to.equal(undefined);
		expect(section).to.deep.equal({ mappings: {} });
	});

	it('GIVEN __proto__ at the top of either layer THEN the result keeps Object.prototype and no such key', () => {
		const merged = deepMerge(typed('{"__proto__":{"a":1},"b":1}'), typed('{"__proto__":{"c":1},"d":1}'));
		expect(Object.getPrototypeOf(merged)).to.equal(Object.prototype);
		expect(Object.hasOwn(merged, '__proto__')).to.equal(false);
		expect(merged).to.deep.equal({ b: 1, d: 1 });
		// Read through the prototype, as schema parsing reads section keys: nothing of either __proto__ object.
		expect((merged as { a?: unknown }).a).to.equal(undefined);
		expect((merged as { c?: unknown }).c).to.equal(undefined);
	});

	it('GIVEN constructor and prototype keys THEN deepMerge leaves them out too', () => {
		expect(deepMerge({ a: { b: 1 } }, typed('{"a":{"constructor":{"prototype":{"x":1}}},"prototype":1}'))).to.deep.equal({ a: { b: 1 } });
	});

	it('GIVEN a value with a reserved key at any depth, lists included THEN setAtPath refuses it naming the path', () => {
		expect(() => setAtPath({}, ['role-mapping'], typed('{"__proto__":{"defaultRole":"admin"}}')))
			.to.throw(ConfigPathError)
			.with.property('message', '"role-mapping.__proto__" is not a valid config key: `__proto__` is not a valid key');
		expect(() => setAtPath({}, ['a'], typed('{"b":[1,{"constructor":{}}]}'))).to.throw(ConfigPathError, /"a\.b\.1\.constructor"/);
		expect(() => setAtPath({}, ['a', '__proto__'], 1)).to.throw(ConfigPathError, /`__proto__` is not a valid key/);
		expect(setAtPath({}, ['a'], typed('{"b":[1,{"c":2}]}'))).to.deep.equal({ a: { b: [1, { c: 2 }] } });
	});

	it('GIVEN a stored override that holds an own __proto__ key THEN setAtPath elsewhere keeps it an own key, never the prototype', () => {
		const stored = typed('{"x":{"__proto__":{"polluted":true}}}');
		const updated = setAtPath(stored, ['x', 'y'], 1);
		expect(Object.getPrototypeOf(updated.x)).to.equal(Object.prototype);
		expect((updated.x as { polluted?: unknown }).polluted).to.equal(undefined);
	});

	it('GIVEN findReservedKey and assertNoReservedKeys THEN the first reserved key is found and named', () => {
		expect(findReservedKey(typed('{"a":{"b":[{"c":1},{"prototype":1}]}}'))).to.deep.equal(['a', 'b', '1', 'prototype']);
		expect(findReservedKey(typed('{"a":{"b":[{"c":1}]},"n":null,"s":"__proto__"}'))).to.equal(undefined);
		expect(() => assertNoReservedKeys(typed('{"__proto__":{}}'))).to.throw(ConfigPathError, /`__proto__` is not a valid key/);
	});
});
