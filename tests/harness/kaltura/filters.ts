/**
 * Generic evaluation of Kaltura list filters (`<field><Operator>` properties), `orderBy` strings and
 * `KalturaFilterPager`. Services register special keys (virtual / cross-object conditions).
 */
import { apiError } from './errors.js';
import type { Obj } from './params.js';

const SUFFIXES = [
	'GreaterThanOrEqualOrNull',
	'LessThanOrEqualOrNull',
	'GreaterThanOrEqual',
	'LessThanOrEqual',
	'GreaterThan',
	'LessThan',
	'MultiLikeOr',
	'MultiLikeAnd',
	'NotEqual',
	'NotIn',
	'NotContains',
	'MatchOr',
	'MatchAnd',
	'StartsWith',
	'Equal',
	'Like',
	'In',
	'Empty'
] as const;
type Suffix = (typeof SUFFIXES)[number];

export interface FilterSpec<T extends Obj> {
	/** keys evaluated by the service (return true to keep). */
	special?: Record<string, (item: T, value: unknown) => boolean>;
	/** keys accepted but without effect here. */
	ignore?: readonly string[];
	/** virtual fields (e.g. "tagsName", "resourceIds"). */
	field?: (item: T, field: string) => unknown;
}

const ALWAYS_IGNORED = new Set(['objectType', 'orderBy', 'advancedSearch', 'relatedObjectType']);

export interface FilterWarnings {
	push(msg: string): void;
}

function norm(v: unknown): string {
	if (v === true) return '1';
	if (v === false) return '0';
	if (v === null || v === undefined) return '';
	return String(v);
}

function list(v: unknown): string[] {
	return norm(v)
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

function words(v: unknown): string[] {
	return norm(v)
		.split(/[,\s]+/)
		.map((s) => s.trim().toLowerCase())
		.filter((s) => s !== '');
}

function splitKey(key: string): [string, Suffix] | undefined {
	for (const s of SUFFIXES) {
		if (key.length > s.length && key.endsWith(s)) return [key.slice(0, -s.length), s];
	}
	return undefined;
}

function num(v: unknown): number | undefined {
	if (v === null || v === undefined || v === '') return undefined;
	const n = Number(v);
	return Number.isFinite(n) ? n : undefined;
}

export function matchOperator(fieldValue: unknown, op: Suffix, filterValue: unknown): boolean {
	// KalturaNullableBoolean: -1 means "no constraint"
	if (typeof fieldValue === 'boolean' && (filterValue === -1 || filterValue === '-1')) return true;
	const fv = norm(fieldValue);
	const fvl = fv.toLowerCase();
	switch (op) {
		case 'Equal':
			return fv === norm(filterValue);
		case 'NotEqual':
			return fv !== norm(filterValue);
		case 'In':
			return list(filterValue).includes(fv);
		case 'NotIn':
			return !list(filterValue).includes(fv);
		case 'Like':
			return fvl.includes(norm(filterValue).toLowerCase());
		case 'StartsWith':
			return fvl.startsWith(norm(filterValue).toLowerCase());
		case 'MultiLikeOr':
			return words(filterValue).some((w) => fvl.includes(w));
		case 'MultiLikeAnd':
			return words(filterValue).every((w) => fvl.includes(w));
		case 'MatchOr': {
			const have = list(fieldValue);
			return list(filterValue).some((x) => have.includes(x));
		}
		case 'MatchAnd': {
			const have = list(fieldValue);
			return list(filterValue).every((x) => have.includes(x));
		}
		case 'NotContains': {
			const have = list(fieldValue);
			return !list(filterValue).some((x) => have.includes(x));
		}
		case 'Empty': {
			const empty = fv === '';
			return norm(filterValue) === '0' ? !empty : empty;
		}
		case 'GreaterThanOrEqual': {
			const a = num(fieldValue);
			const b = num(filterValue);
			return a !== undefined && b !== undefined && a >= b;
		}
		case 'LessThanOrEqual': {
			const a = num(fieldValue);
			const b = num(filterValue);
			return a !== undefined && b !== undefined && a <= b;
		}
		case 'GreaterThan': {
			const a = num(fieldValue);
			const b = num(filterValue);
			return a !== undefined && b !== undefined && a > b;
		}
		case 'LessThan': {
			const a = num(fieldValue);
			const b = num(filterValue);
			return a !== undefined && b !== undefined && a < b;
		}
		case 'GreaterThanOrEqualOrNull': {
			const a = num(fieldValue);
			const b = num(filterValue);
			return a === undefined || (b !== undefined && a >= b);
		}
		case 'LessThanOrEqualOrNull': {
			const a = num(fieldValue);
			const b = num(filterValue);
			return a === undefined || (b !== undefined && a <= b);
		}
	}
}

export function applyFilter<T extends Obj>(items: T[], filter: Obj | undefined, spec: FilterSpec<T>, warnings?: FilterWarnings): T[] {
	if (!filter) return items;
	const conditions: Array<(item: T) => boolean> = [];
	for (const [key, value] of Object.entries(filter)) {
		if (ALWAYS_IGNORED.has(key) || value === null || value === undefined || value === '') continue;
		if (typeof value === 'object') continue; // nested filters (advancedSearch etc.)
		const special = spec.special?.[key];
		if (special) {
			conditions.push((item) => special(item, value));
			continue;
		}
		if (spec.ignore?.includes(key)) continue;
		const split = splitKey(key);
		if (!split) {
			warnings?.push(`unsupported filter property ${String(filter.objectType)}.${key}`);
			continue;
		}
		const [field, op] = split;
		conditions.push((item) => {
			const fieldValue = spec.field ? (spec.field(item, field) ?? item[field]) : item[field];
			return matchOperator(fieldValue, op, value);
		});
	}
	return items.filter((item) => conditions.every((c) => c(item)));
}

const ORDER_ALIASES: Record<string, string> = { recent: 'createdAt' };

export function applyOrder<T extends Obj>(items: T[], orderBy: unknown, fallback: string): T[] {
	const spec = typeof orderBy === 'string' && orderBy.trim() !== '' ? orderBy : fallback;
	const keys = spec
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean)
		.map((s) => {
			const dir = s.startsWith('-') ? -1 : 1;
			const name = s.replace(/^[+-]/, '');
			return { dir, name: ORDER_ALIASES[name] ?? name };
		});
	const cmp = (a: unknown, b: unknown): number => {
		if (a === b) return 0;
		if (a === undefined || a === null) return -1;
		if (b === undefined || b === null) return 1;
		if (typeof a === 'number' && typeof b === 'number') return a - b;
		return String(a).localeCompare(String(b));
	};
	return [...items].sort((x, y) => {
		for (const k of keys) {
			const c = cmp(x[k.name], y[k.name]);
			if (c !== 0) return c * k.dir;
		}
		return 0;
	});
}

export interface PagerOptions {
	/** results beyond this offset fail with QUERY_EXCEEDED_MAX_MATCHES_ALLOWED (Kaltura: ~10000) */
	maxMatches: number;
}

/**
 * KalturaFilterPager (kaltura/server api_v3/lib/types/KalturaPager.php: pageSize default 30, MAX_PAGE_SIZE 500,
 * pageIndex at least 1; api_v3/lib/types/filters/KalturaFilterPager.php caps the size at
 * baseObjectFilter::getMaxInValues(), 500). The stand-in reads a size of 0 or less as the default; Kaltura's
 * category.list without a pager returns up to Partner::MAX_NUMBER_OF_CATEGORIES (CategoryService::listAction),
 * which the stand-in does not model (the bot always passes a pager).
 */
export function applyPager<T>(items: T[], pager: Obj | undefined, opts: PagerOptions): { page: T[]; totalCount: number } {
	let pageSize = num(pager?.pageSize) ?? 30;
	let pageIndex = num(pager?.pageIndex) ?? 1;
	if (pageSize <= 0) pageSize = 30;
	if (pageSize > 500) pageSize = 500;
	if (pageIndex < 1) pageIndex = 1;
	const offset = (pageIndex - 1) * pageSize;
	// the search engine refuses windows beyond max_matches whatever the result count
	if (offset + pageSize > opts.maxMatches) throw apiError('QUERY_EXCEEDED_MAX_MATCHES_ALLOWED');
	return { page: items.slice(offset, offset + pageSize), totalCount: items.length };
}
