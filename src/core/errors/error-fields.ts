/**
 * Fields of a thrown value read without trusting its type: Node, the drivers and the libraries each throw their own
 * shapes, and a `catch` gets `unknown`. One guard each, instead of a cast at every catch.
 */

/** The value of `name` on a thrown object, or undefined when the value is not an object or has no such field. */
export function errorField(error: unknown, name: string): unknown {
	if (typeof error !== 'object' || error === null || !(name in error)) return undefined;
	return Reflect.get(error, name);
}

/** The error's own `code` (`ENOENT`, `ECONNREFUSED`, `ERR_…`) when it is a string. */
export function systemErrorCode(error: unknown): string | undefined {
	const code = errorField(error, 'code');
	return typeof code === 'string' ? code : undefined;
}
