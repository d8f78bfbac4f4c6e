import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * JSON for a stand-in's state, which is kept in Maps and Sets (and bigints for permissions): they are written
 * tagged and read back as the same types, so a reloaded state behaves as the saved one did.
 */
export function encodeState(value: unknown): string {
	return JSON.stringify(
		value,
		(_key, item: unknown) => {
			if (item instanceof Map) return { $map: [...item.entries()] };
			if (item instanceof Set) return { $set: [...item.values()] };
			if (typeof item === 'bigint') return { $bigint: item.toString() };
			return item;
		},
		'\t'
	);
}

export function decodeState<T>(text: string): T {
	return JSON.parse(text, (_key, item: unknown) => {
		if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
			const tagged = item as { $map?: [unknown, unknown][]; $set?: unknown[]; $bigint?: string };
			if (Array.isArray(tagged.$map)) return new Map(tagged.$map);
			if (Array.isArray(tagged.$set)) return new Set(tagged.$set);
			if (typeof tagged.$bigint === 'string') return BigInt(tagged.$bigint);
		}
		return item;
	}) as T;
}

/** Writes the file whole or not at all (a stop in the middle of a write leaves the previous state). */
export function writeStateFile(path: string, value: unknown): void {
	mkdirSync(dirname(path), { recursive: true });
	const temporary = `${path}.${process.pid}.tmp`;
	writeFileSync(temporary, encodeState(value));
	renameSync(temporary, path);
}

export function readStateFile<T>(path: string): T {
	return decodeState<T>(readFileSync(path, 'utf8'));
}

/** Replaces a Map's (or Set's) contents in place: the stand-ins' collections are readonly fields others hold on to. */
export function refill<K, V>(target: Map<K, V>, source: Map<K, V> | undefined): void {
	target.clear();
	for (const [key, value] of source ?? []) target.set(key, value);
}

export function refillSet<V>(target: Set<V>, source: Set<V> | undefined): void {
	target.clear();
	for (const value of source ?? []) target.add(value);
}
