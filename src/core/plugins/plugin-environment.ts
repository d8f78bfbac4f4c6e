import type { z } from 'zod';
import { EnvironmentError, type EnvironmentProblem } from '../env.js';

/**
 * Parses a plugin's environment variables with the schema its manifest declares. Empty strings count as
 * unset, as in the core's own environment (`.env` files and container runtimes often export `NAME=`), so a
 * schema's `.default()` is the one place a default lives. Throws one {@link EnvironmentError} naming every
 * bad variable and the plugin that reads it; values never appear in it (a mistyped secret must not reach a log).
 */
export function parsePluginEnvironment<Schema extends z.ZodObject>(
	plugin: string,
	schema: Schema,
	source: Readonly<Record<string, string | undefined>>
): z.output<Schema> {
	const declared = Object.fromEntries(Object.keys(schema.shape).map((name) => [name, source[name] === '' ? undefined : source[name]]));
	const result = schema.safeParse(declared);
	if (result.success) return result.data;
	const problems = new Map<string, EnvironmentProblem>();
	for (const issue of result.error.issues) {
		const variable = String(issue.path[0] ?? `the ${plugin} plugin's environment`);
		if (!problems.has(variable)) problems.set(variable, { variable, problem: `${issue.message} (read by the ${plugin} plugin)` });
	}
	throw new EnvironmentError([...problems.values()]);
}
