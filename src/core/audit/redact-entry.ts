import { REDACTED, type SecretRedactor } from '../redactor.js';
import type { AuditEntryInput } from './audit-log.js';

/** Words that make a field's name say it holds a credential (`adminSecret`, `stream_key`, `ks`, `apiToken`...). */
const SECRET_WORDS: ReadonlySet<string> = new Set([
	'token',
	'tokens',
	'secret',
	'secrets',
	'ks',
	'password',
	'passwords',
	'passwd',
	'pwd',
	'key',
	'keys',
	'apikey',
	'privatekey',
	'credential',
	'credentials',
	'auth',
	'authorization',
	'cookie',
	'cookies',
	'jwt',
	'signature'
]);

/** Longest string kept in an entry; longer ones are cut (after redaction, so no half secret survives the cut). */
const MAXIMUM_STRING = 1_000;
/** Largest `changes` kept, as JSON; a larger one is replaced by its cut-down text. */
const MAXIMUM_CHANGES_JSON = 16_000;

/** Whether a field or config key's name looks like it holds a secret, word by word (`streamKey`, `kaltura.adminSecret`, `app-token`). */
export function looksSecret(name: string): boolean {
	return name
		.replace(/([a-z\d])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z\d]+/)
		.some((word) => SECRET_WORDS.has(word));
}

const cut = (text: string) => (text.length <= MAXIMUM_STRING ? text : `${text.slice(0, MAXIMUM_STRING - 1)}…`);

function redactValue(value: unknown, redactor: SecretRedactor, seen: WeakSet<object>): unknown {
	if (typeof value === 'string') return cut(redactor.redact(value));
	if (typeof value === 'bigint') return value.toString();
	if (typeof value !== 'object' || value === null) return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
	if (seen.has(value)) return '[circular]';
	seen.add(value);
	if (Array.isArray(value)) return value.map((item) => redactValue(item, redactor, seen));
	if (value instanceof Date) return value.toISOString();
	return redactFields(value, redactor, seen);
}

/** A copy of an object's fields, each redacted as {@link redactValue} does; `seen` already holds the object. */
function redactFields(value: object, redactor: SecretRedactor, seen: WeakSet<object>): Record<string, unknown> {
	const copy: Record<string, unknown> = {};
	for (const [key, item] of Object.entries(value)) {
		const safeKey = cut(redactor.redact(key));
		// A secret-looking field keeps its name (the admin sees that it changed) but never its value.
		copy[safeKey] = looksSecret(key) && item !== null && item !== undefined ? REDACTED : redactValue(item, redactor, seen);
	}
	return copy;
}

/**
 * The entry as it may be stored and shown: every string in `target`, `changes` and `detail` through the
 * redactor (the operator's secrets and anything shaped like a KS, JWT, bot token or password in a URL),
 * the values of secret-looking fields replaced, and, when the target itself is a secret-looking config
 * key, every value of `changes` replaced.
 */
export function redactEntry(entry: AuditEntryInput, redactor: SecretRedactor): AuditEntryInput {
	const secretTarget = entry.target !== undefined && looksSecret(entry.target);
	let changes: Record<string, unknown> | undefined;
	const given = entry.changes;
	if (given !== undefined) {
		changes = secretTarget
			? Object.fromEntries(Object.keys(given).map((key) => [cut(redactor.redact(key)), given[key] === null ? null : REDACTED]))
			: redactFields(given, redactor, new WeakSet<object>([given]));
		const json = JSON.stringify(changes);
		if (json.length > MAXIMUM_CHANGES_JSON) changes = { truncated: `${json.slice(0, MAXIMUM_STRING - 1)}…` };
	}
	return {
		guildId: entry.guildId,
		actorId: entry.actorId,
		source: entry.source,
		action: entry.action,
		...(entry.target === undefined ? {} : { target: cut(redactor.redact(entry.target)) }),
		...(changes === undefined ? {} : { changes }),
		...(entry.outcome === undefined ? {} : { outcome: entry.outcome }),
		...(entry.detail === undefined ? {} : { detail: cut(redactor.redact(entry.detail)) })
	};
}
