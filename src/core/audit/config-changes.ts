import { isPlainObject, type JsonObject } from '../config/object-path.js';

export interface ValueChange {
	/** `null`: not set at run time (the file override or default applied). */
	readonly before: unknown;
	readonly after: unknown;
}

/**
 * The dotted keys whose runtime value differs between two runtime overrides, each with both values.
 * Runtime layers only: they hold what admins wrote, never the operator's file values (which may carry
 * `{{ENV}}` placeholders filled with secrets).
 */
export function configChanges(before: JsonObject, after: JsonObject): Record<string, ValueChange> {
	const changes: Record<string, ValueChange> = {};
	collect(before, after, '', changes);
	return changes;
}

function collect(before: unknown, after: unknown, path: string, into: Record<string, ValueChange>): void {
	if (isPlainObject(before) && isPlainObject(after)) {
		for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
			collect(before[key], after[key], path === '' ? key : `${path}.${key}`, into);
		}
		return;
	}
	if (JSON.stringify(before) === JSON.stringify(after)) return;
	// A whole section appearing or going is listed leaf by leaf, like any other change.
	if (isPlainObject(before) && after === undefined) return collect(before, {}, path, into);
	if (isPlainObject(after) && before === undefined) return collect({}, after, path, into);
	into[path] = { before: before ?? null, after: after ?? null };
}
