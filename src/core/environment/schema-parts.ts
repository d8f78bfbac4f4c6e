import { ConnectionString } from 'mongodb-connection-string-url';
import { z } from 'zod';

/** Empty strings count as unset: `.env` files and container runtimes often export `NAME=`. */
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
export const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
	z.preprocess((value) => (value === '' || value === undefined ? fallback : value), schema);

export const required = (what: string) =>
	z.preprocess(
		(value) => (value === '' ? undefined : value),
		z.string({ error: (issue) => (issue.input === undefined ? `is required (${what})` : 'must be a string') })
	);

export const url = (protocols: readonly string[]) =>
	z
		.url({ error: `must be a URL (${protocols.join(', ')})` })
		.refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
			error: `must use one of the protocols ${protocols.join(', ')}`
		});

/**
 * A comma-separated list, items trimmed (and lowercased when asked) and empty ones dropped, checked item by
 * item with `item`. Anything but a string is left as it is (`otherwise`, when given, stands for it instead).
 */
export const commaList = <T extends z.ZodType>(items: T, options: { readonly lowercase?: boolean; readonly otherwise?: unknown[] } = {}) =>
	z.preprocess(
		(value) =>
			typeof value === 'string'
				? value
						.split(',')
						.map((item) => (options.lowercase ? item.trim().toLowerCase() : item.trim()))
						.filter(Boolean)
				: (options.otherwise ?? value),
		items
	);

/**
 * A whole number from `min` to `max`, given as text; `what` names it in the error (`number of days`), and
 * `outOfRange`, when given, is the one error for either bound.
 */
export const wholeNumber = (what: string, min: number, max: number, outOfRange?: string) =>
	z.coerce
		.number({ error: `must be a ${what}` })
		.int({ error: 'must be a whole number' })
		.min(min, { error: outOfRange ?? `must be at least ${min}` })
		.max(max, { error: outOfRange ?? `must be at most ${max}` });

/** A secret of at least 32 bytes (a JWT key, the operator's token): shorter ones are too easy to guess. */
export const thirtyTwoBytes = (error: string) => z.string().refine((value) => Buffer.byteLength(value, 'utf8') >= 32, { error });

/** The database a MongoDB connection string names (its path), or null when it is no such string or names none. */
export function mongoDatabaseOf(value: string): string | null {
	try {
		// The driver's own parser: WHATWG URL refuses the multi-host form (`mongodb://a:27017,b:27017/db`) replica sets use.
		const database = decodeURIComponent(new ConnectionString(value).pathname.replace(/^\//, ''));
		return database === '' ? null : database;
	} catch {
		return null;
	}
}

export const mongoUrl = z.string().refine((value) => mongoDatabaseOf(value) !== null, {
	error: 'must be a MongoDB connection string (mongodb:// or mongodb+srv://) naming a database, e.g. mongodb://db:27017/kaltura'
});

export function isValidRegExp(source: string): boolean {
	try {
		new RegExp(source, 'u');
		return true;
	} catch {
		return false;
	}
}
