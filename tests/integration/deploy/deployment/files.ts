import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** The repository's root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

export const pathOf = (...parts: string[]): string => join(ROOT, ...parts);

export const readText = (path: string): string => readFileSync(path, 'utf8');

/** One YAML document; merge keys (`<<: *anchor`, which Compose files use) resolved as Compose resolves them. */
export const readYaml = (path: string): unknown => parse(readText(path), { merge: true });

/** Every document of a YAML stream (`kubectl kustomize` prints one per resource). */
export const yamlDocuments = (text: string): unknown[] =>
	parseAllDocuments(text)
		.map((document) => document.toJS() as unknown)
		.filter((document) => document !== null);

/** A plain object, for walking parsed YAML without `any`. */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object at `path` under `value`, or an empty object where the path stops. */
export function objectAt(value: unknown, ...path: string[]): Json {
	let current = value;
	for (const key of path) current = isObject(current) ? current[key] : undefined;
	return isObject(current) ? current : {};
}

/** The array at `path` under `value`, or an empty array where the path stops. */
export function arrayAt(value: unknown, ...path: string[]): unknown[] {
	const parent = objectAt(value, ...path.slice(0, -1));
	const last = path.at(-1);
	const found = last === undefined ? value : parent[last];
	return Array.isArray(found) ? (found as unknown[]) : [];
}

/** The string at `path` under `value`, or undefined. */
export function stringAt(value: unknown, ...path: string[]): string | undefined {
	const parent = objectAt(value, ...path.slice(0, -1));
	const last = path.at(-1);
	const found = last === undefined ? undefined : parent[last];
	return typeof found === 'string' ? found : undefined;
}

/** `NAME=value` lines of an env file, commented-out ones (`# NAME=value`) included when asked. */
export function envFileVariables(text: string, options: { readonly commented: boolean }): Map<string, string> {
	const pattern = options.commented ? /^(?:#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/ : /^([A-Z][A-Z0-9_]*)=(.*)$/;
	const variables = new Map<string, string>();
	for (const line of text.split('\n')) {
		const match = pattern.exec(line.trim());
		if (match?.[1] !== undefined) variables.set(match[1], match[2] ?? '');
	}
	return variables;
}
