import { isPlainObject } from './object-path.js';

const PLACEHOLDER = /\{\{\s*([A-Z][A-Z0-9_]*)\s*\}\}/g;

export interface MissingVariable {
	/** Dotted path of the value that names the variable. */
	readonly path: string;
	readonly variable: string;
}

/**
 * Fills `{{ENV_NAME}}` in every string of a config file from the environment. Only files get this:
 * a runtime write is stored as typed, or any admin could read the operator's secrets through
 * `/config view` by writing `{{KALTURA_ADMIN_SECRET}}`.
 */
export function fillPlaceholders(
	value: unknown,
	environment: Readonly<Record<string, string | undefined>>,
	path = ''
): { value: unknown; missing: MissingVariable[] } {
	const missing: MissingVariable[] = [];
	const fill = (current: unknown, at: string): unknown => {
		if (typeof current === 'string') {
			return current.replace(PLACEHOLDER, (_match, variable: string) => {
				const replacement = environment[variable];
				if (replacement === undefined) {
					missing.push({ path: at, variable });
					return '';
				}
				return replacement;
			});
		}
		if (Array.isArray(current)) return current.map((item, index) => fill(item, `${at}[${index}]`));
		if (isPlainObject(current)) {
			return Object.fromEntries(Object.entries(current).map(([key, item]) => [key, fill(item, at ? `${at}.${key}` : key)]));
		}
		return current;
	};
	return { value: fill(value, path), missing };
}
