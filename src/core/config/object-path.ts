/**
 * Dotted paths into plain JSON objects (`meetings.kafBaseUrl`), as admins type them in `/config set`
 * and send them to the API. Keys that could reach an object's prototype are refused outright.
 */
export type JsonObject = { [key: string]: unknown };

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

export class ConfigPathError extends Error {
	public constructor(public readonly path: string, reason: string) {
		super(`"${path}" is not a valid config key: ${reason}`);
		this.name = 'ConfigPathError';
	}
}

export function parsePath(path: string): string[] {
	const trimmed = path.trim();
	if (trimmed === '') throw new ConfigPathError(path, 'it is empty');
	const keys = trimmed.split('.');
	if (keys.length > 8) throw new ConfigPathError(path, 'it is nested deeper than 8 levels');
	for (const key of keys) {
		if (FORBIDDEN_KEYS.has(key)) throw new ConfigPathError(path, `"${key}" is a reserved word`);
		if (!KEY_PATTERN.test(key)) throw new ConfigPathError(path, 'use letters, digits, "-" and "_" between the dots');
	}
	return keys;
}

export function isPlainObject(value: unknown): value is JsonObject {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
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

/** A copy of `root` with `value` at `keys`, creating objects on the way; the input is not changed. */
export function setAtPath(root: JsonObject, keys: readonly string[], value: unknown): JsonObject {
	const [head, ...rest] = keys;
	if (head === undefined) throw new RangeError('setAtPath needs at least one key');
	const copy: JsonObject = { ...root };
	if (rest.length === 0) {
		copy[head] = value;
	} else {
		const child = copy[head];
		copy[head] = setAtPath(isPlainObject(child) ? child : {}, rest, value);
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
