import { defineOwn, isPlainObject, type JsonObject } from './object-path.js';

/** Keys that, set by plain assignment or read through a prototype, would reach beyond the object itself. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Layers `override` over `base`: objects merge key by key at every depth, anything else (arrays
 * included) replaces. Arrays replace rather than concatenate so an override can shorten a list,
 * which a guild removing a default role or channel needs.
 *
 * Reserved keys are left out of the result: `JSON.parse` keeps `"__proto__"` as an own key, and
 * assigning it would swap the merged section's prototype for an object of the writer's choosing,
 * whose keys schema parsing then reads as if they were the section's own (past every runtime check,
 * which sees only own keys). Writes refuse such keys; this also covers overrides stored before they did.
 */
export function deepMerge(base: JsonObject, override: JsonObject): JsonObject {
	const result: JsonObject = {};
	for (const layer of [base, override]) {
		for (const [key, value] of Object.entries(layer)) {
			if (RESERVED_KEYS.has(key)) continue;
			const current = Object.hasOwn(result, key) ? result[key] : undefined;
			defineOwn(result, key, layer === override && isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value);
		}
	}
	return result;
}
