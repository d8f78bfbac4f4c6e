import { isPlainObject, type JsonObject } from './object-path.js';

/**
 * Layers `override` over `base`: objects merge key by key at every depth, anything else (arrays
 * included) replaces. Arrays replace rather than concatenate so an override can shorten a list,
 * which a guild removing a default role or channel needs.
 */
export function deepMerge(base: JsonObject, override: JsonObject): JsonObject {
	const result: JsonObject = { ...base };
	for (const [key, value] of Object.entries(override)) {
		const current = result[key];
		result[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
	}
	return result;
}
