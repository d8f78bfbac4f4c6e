/**
 * Reading action parameters. The client drops nulls, so a missing param means its default.
 * Values may be strings (form posts, multirequest `{N:result}` tokens) where ints are expected,
 * so ints are coerced the way PHP would.
 */
import { apiError } from './errors.js';

export type Params = Record<string, unknown>;
export type Obj = Record<string, unknown>;

export function has(p: Params, name: string): boolean {
	return p[name] !== undefined && p[name] !== null;
}

export function str(p: Params, name: string): string | undefined {
	const v = p[name];
	if (v === undefined || v === null) return undefined;
	if (typeof v === 'object') return undefined;
	return String(v);
}

export function reqStr(p: Params, name: string): string {
	const v = str(p, name);
	if (v === undefined) throw apiError('MISSING_MANDATORY_PARAMETER', name);
	return v;
}

export function int(p: Params, name: string): number | undefined {
	const v = p[name];
	if (v === undefined || v === null || v === '') return undefined;
	if (typeof v === 'boolean') return v ? 1 : 0;
	const n = Number(v);
	return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

export function reqInt(p: Params, name: string): number {
	const v = int(p, name);
	if (v === undefined) throw apiError('MISSING_MANDATORY_PARAMETER', name);
	return v;
}

export function bool(p: Params, name: string): boolean | undefined {
	const v = p[name];
	if (v === undefined || v === null || v === '') return undefined;
	if (typeof v === 'boolean') return v;
	if (v === 'false' || v === '0' || v === 0) return false;
	return true;
}

export function obj(p: Params, name: string): Obj | undefined {
	const v = p[name];
	if (v && typeof v === 'object' && !Array.isArray(v)) return v as Obj;
	return undefined;
}

export function reqObj(p: Params, name: string): Obj {
	const v = obj(p, name);
	if (!v) throw apiError('MISSING_MANDATORY_PARAMETER', name);
	return v;
}

/** Require one of the allowed concrete objectTypes (abstract ones give OBJECT_TYPE_ABSTRACT). */
export function requireObjectType(o: Obj, allowed: readonly string[], abstract: readonly string[] = []): string {
	const t = typeof o.objectType === 'string' ? o.objectType : undefined;
	if (t && abstract.includes(t)) throw apiError('OBJECT_TYPE_ABSTRACT', t);
	if (!t) return allowed[0] ?? '';
	if (!allowed.includes(t)) throw apiError('INVALID_OBJECT_TYPE', t);
	return t;
}

/** PROPERTY_VALIDATION_CANNOT_BE_NULL with "Class::prop" as the server names it. */
export function requireProps(o: Obj, objectType: string, props: readonly string[]): void {
	for (const prop of props) {
		const v = o[prop];
		if (v === undefined || v === null) throw apiError('PROPERTY_VALIDATION_CANNOT_BE_NULL', `${objectType}::${prop}`);
	}
}

/** Copy the writable input props onto a target (readonly ones are ignored, as the server ignores them). */
export function applyWritable(target: Obj, input: Obj, readonly: readonly string[]): void {
	for (const [k, v] of Object.entries(input)) {
		if (k === 'objectType' || readonly.includes(k)) continue;
		if (v === undefined) continue;
		target[k] = v;
	}
}

/** Numeric-looking strings to numbers for known int fields (multirequest tokens / form posts). */
export function coerceInts(o: Obj, fields: readonly string[]): void {
	for (const f of fields) {
		const v = o[f];
		if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) o[f] = Number(v);
	}
}
