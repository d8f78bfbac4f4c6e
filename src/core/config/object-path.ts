/**
 * Dotted paths into plain JSON objects (`meetings.kafBaseUrl`), as admins type them in `/config set`
 * and send them to the API. Keys that could reach an object's prototype are refused outright.
 */
export type JsonObject = { [key: string]: unknown };

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

export class ConfigPathError extends Error {
	public constructor(
		public readonly path: string,
		reason: string
	) {
		super(`"${path}" is not a valid config key: ${reason}`);
		this.name = 'ConfigPathError';
	}
}

/**
 * The path, below `at`, of the first key at any depth of `value` (objects and lists) that could reach a
 * prototype; undefined when there is none. `JSON.parse` keeps `"__proto__"` as an ordinary own key, and
 * a later plain assignment of that key would replace an object's prototype instead of adding a key.
 */
export function findReservedKey(value: unknown, at: readonly string[] = []): string[] | undefined {
	if (Array.isArray(value)) {
		for (const [index, item] of value.entries()) {
			const found = findReservedKey(item, [...at, String(index)]);
			if (found !== undefined) return found;
		}
		return undefined;
	}
	if (typeof value !== 'object' || value === null) return undefined;
	for (const key of Object.keys(value)) {
		if (FORBIDDEN_KEYS.has(key)) return [...at, key];
		const found = findReservedKey(Reflect.get(value, key), [...at, key]);
		if (found !== undefined) return found;
	}
	return undefined;
}

/** Throws {@link ConfigPathError} naming the first reserved key (`__proto__`, `prototype`, `constructor`) in `value`, at any depth. */
export function assertNoReservedKeys(value: unknown, at: readonly string[] = []): void {
	const found = findReservedKey(value, at);
	if (found !== undefined) throw new ConfigPathError(found.join('.'), `\`${found.at(-1)}\` is not a valid key`);
}

/** Sets an own property even where plain assignment would not (`__proto__` replaces the prototype instead). */
export function defineOwn(target: JsonObject, key: string, value: unknown): void {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function parsePath(path: string): string[] {
	const trimmed = path.trim();
	if (trimmed === '') throw new ConfigPathError(path, 'it is empty');
	const keys = trimmed.split('.');
	if (keys.length > 8) throw new ConfigPathError(path, 'it is nested deeper than 8 levels');
	for (const key of keys) {
		if (FORBIDDEN_KEYS.has(key)) throw new ConfigPathError(path, `\`${key}\` is not a valid key`);
		if (!KEY_PATTERN.test(key)) throw new ConfigPathError(path, 'use letters, digits, "-" and "_" between the dots');
	}
	return keys;
}

export function isPlainObject(value: unknown): value is JsonObject {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const prototype: unknown = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

export function getAtPath(root: unknown, keys: readonly string[]): unknown {
	let current = root;
	for (const key of keys) {
		if (!isPlainObject(current) || !Object.hasOwn(current, key)) return undefined;
		current = current[key];
	}
	return current;
}

/**
 * A copy of `root` with `value` at `keys`, creating objects on the way; the input is not changed.
 * Throws {@link ConfigPathError} when a key, or a key anywhere inside `value`, is reserved: such a value
 * (`{"__proto__": …}` typed as JSON) would later be merged into the prototype of the resolved section.
 */
export function setAtPath(root: JsonObject, keys: readonly string[], value: unknown): JsonObject {
	const [head, ...rest] = keys;
	if (head === undefined) throw new RangeError('setAtPath needs at least one key');
	const reservedKey = keys.find((key) => FORBIDDEN_KEYS.has(key));
	if (reservedKey !== undefined) throw new ConfigPathError(keys.join('.'), `\`${reservedKey}\` is not a valid key`);
	assertNoReservedKeys(value, keys);
	const copy: JsonObject = { ...root };
	if (rest.length === 0) {
		defineOwn(copy, head, value);
	} else {
		const child = Object.hasOwn(copy, head) ? copy[head] : undefined;
		defineOwn(copy, head, setAtPath(isPlainObject(child) ? child : {}, rest, value));
	}
	return copy;
}

/** A copy of `root` without the key at `keys`; emptied parent objects are removed too. */
export function deleteAtPath(root: JsonObject, keys: readonly string[]): JsonObject {
	const [head, ...rest] = keys;
	if (head === undefined || !Object.hasOwn(root, head)) return root;
	const copy: JsonObject = { ...root };
	if (rest.length === 0) {
		delete copy[head];
		return copy;
	}
	const child = copy[head];
	if (!isPlainObject(child)) return root;
	const pruned = deleteAtPath(child, rest);
	if (Object.keys(pruned).length === 0) delete copy[head];
	else copy[head] = pruned;
	return copy;
}
