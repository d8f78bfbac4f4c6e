import { z } from 'zod';

/**
 * Validation messages in one voice, for every schema the bot checks admins' input against (guild
 * config through `/config`, `/plugins`, plugin commands and the API; API request bodies). Each is the
 * end of a sentence that starts with the key: "`title`: at most 256 characters (this one has 300)".
 *
 * Passed to zod as the per-parse error map, so a message a schema sets itself ("must be a Discord role
 * id") still wins: zod asks the schema first and this map only for the issues the schema left unworded.
 */
type RawIssue = z.core.$ZodRawIssue;

/** The per-parse error map: `schema.safeParse(value, { error: issueMessage })`. */
export function issueMessage(issue: RawIssue): string | undefined {
	switch (issue.code) {
		case 'too_big':
			return sizeMessage('at most', issue.maximum, issue.inclusive !== false, issue.origin, issue.input);
		case 'too_small':
			if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
			if ((issue.origin === 'array' || issue.origin === 'set') && Number(issue.minimum) === 1) return 'must list at least one item';
			return sizeMessage('at least', issue.minimum, issue.inclusive !== false, issue.origin, issue.input);
		case 'invalid_type':
			if (issue.input === undefined) return 'is required';
			return `must be ${expected(issue.expected)} (this one is ${describeValue(issue.input)})`;
		case 'invalid_value':
			return issue.values.length === 1
				? `must be ${show(issue.values[0])} (not ${show(issue.input)})`
				: `must be one of ${issue.values.map(show).join(', ')} (not ${show(issue.input)})`;
		case 'invalid_format':
			return issue.format === 'regex' ? 'has characters or a form that is not allowed here' : `must be a valid ${issue.format}`;
		case 'not_multiple_of':
			return `must be a multiple of ${String(issue.divisor)}`;
		case 'unrecognized_keys':
			return 'is not a known setting';
		case 'invalid_key': {
			// A record's key failed its own schema; its inner issues are already worded (by the schema or here).
			const reasons = issue.issues.map((inner) => inner.message).filter((message) => message !== '');
			return `the key ${show(issue.input)} is not allowed${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}`;
		}
		case 'invalid_union':
			return `does not match any accepted form (this one is ${describeValue(issue.input)})`;
		case 'invalid_element':
			return 'has an element that is not valid';
		case 'custom':
			return 'is not valid';
		default:
			return undefined;
	}
}

/** Known keys of the object whose unknown keys zod reports, to suggest the one an admin probably meant. */
export function knownKeysOf(issue: RawIssue): readonly string[] {
	return issue.inst instanceof z.core.$ZodObject ? Object.keys(issue.inst._zod.def.shape) : [];
}

/** "is not a known setting", with the nearest known key when one is close enough to be a typo. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
	const nearest = closest(key, known);
	return nearest === undefined ? 'is not a known setting' : `is not a known setting (did you mean "${nearest}"?)`;
}

/** `path: message` joined into sentences, as admins and API users read them. */
export function issueSentences(issues: readonly { readonly path: string; readonly message: string }[]): string {
	return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}

function sizeMessage(bound: 'at most' | 'at least', limit: unknown, inclusive: boolean, origin: string, input: unknown): string {
	const edge = inclusive ? bound : bound === 'at most' ? 'less than' : 'more than';
	const value = typeof limit === 'bigint' ? limit.toString() : String(limit);
	switch (origin) {
		case 'string':
			return `${edge} ${value} ${plural(value, 'character')}${typeof input === 'string' ? ` (this one has ${[...input].length})` : ''}`;
		case 'array':
		case 'set':
			return `${edge} ${value} ${plural(value, 'item')}${Array.isArray(input) ? ` (this one has ${input.length})` : ''}`;
		case 'date':
			return `${bound === 'at most' ? 'no later than' : 'no earlier than'} ${value}`;
		default:
			return `must be ${edge} ${value}${typeof input === 'number' || typeof input === 'bigint' ? ` (not ${String(input)})` : ''}`;
	}
}

function plural(count: string, word: string): string {
	return count === '1' ? word : `${word}s`;
}

function expected(type: string): string {
	const words: Record<string, string> = {
		string: 'text',
		number: 'a number',
		int: 'a whole number',
		bigint: 'a whole number',
		boolean: 'true or false',
		object: 'an object',
		array: 'a list',
		record: 'an object',
		null: 'null',
		date: 'a date'
	};
	return words[type] ?? `a ${type}`;
}

/** What a value is, in words, without repeating it (it may be long, or a secret typed in the wrong place). */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	switch (typeof value) {
		case 'string':
			return 'text';
		case 'number':
			return Number.isInteger(value) ? 'a whole number' : 'a number';
		case 'boolean':
			return value ? 'true' : 'false';
		case 'object':
			return 'an object';
		default:
			return typeof value;
	}
}

function show(value: unknown): string {
	if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
	if (value === undefined) return 'nothing';
	return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

function closest(word: string, candidates: readonly string[]): string | undefined {
	let best: { name: string; distance: number } | undefined;
	for (const name of candidates) {
		const distance = editDistance(word.toLowerCase(), name.toLowerCase());
		if (distance <= (name.length <= 4 ? 1 : 2) && (best === undefined || distance < best.distance)) best = { name, distance };
	}
	return best?.name;
}

/** Levenshtein distance, one row at a time: each cell from the one above, the one to its left and the one diagonally up-left. */
function editDistance(a: string, b: string): number {
	// Row 0: the distance from the empty prefix of `a` to each prefix of `b`.
	let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
	let distance = b.length;
	for (let i = 1; i <= a.length; i++) {
		let diagonal = i - 1;
		let left = i;
		const current = [left];
		for (const [index, above] of previous.slice(1).entries()) {
			left = Math.min(above + 1, left + 1, diagonal + (a[i - 1] === b[index] ? 0 : 1));
			current.push(left);
			diagonal = above;
		}
		previous = current;
		distance = left;
	}
	return distance;
}
