import { createHash } from 'node:crypto';

/**
 * What Kaltura sends (kaltura/server, plugins/event_notification/providers/http/lib/api/KalturaHttpNotificationObjectData.php,
 * getData()): for an ObjectData template in JSON format, the `KalturaHttpNotification` serialised as one JSON document, or,
 * when the template's `urlEncode` flag is set, `data=` followed by that JSON passed through PHP's urlencode(). The
 * signature (KDispatchHttpNotificationEngine.class.php) is HASH(adminSecret . body), plain concatenation, so anyone who
 * captured one signed body can compute the signature of that body with bytes appended (length extension). Every such
 * extension starts with the hash's padding (0x80, then zero bytes, then the length), so the rules below refuse it:
 * the body must be valid UTF-8 (0x80 after ASCII is not), be one JSON document and nothing after it, or exactly one
 * `data` form field, and no object in it may name a key twice (a second value a reader might take instead).
 *
 * The decision is made on the signed bytes alone, never on the Content-Type header, which the signature does not cover
 * (Kaltura also sends `application/json` with the url-encoded form).
 */

/** Deeper than any KalturaHttpNotification (notification, object, an array of objects, their fields). */
export const MAX_JSON_DEPTH = 32;

/** The body as Kaltura would have sent it, parsed. */
export interface ParsedNotification {
	readonly kind: 'parsed';
	readonly payload: Record<string, unknown>;
}

/** Signs of a body altered after Kaltura signed it: refused (400), nothing stored. */
export interface TamperedNotification {
	readonly kind: 'tampered';
	readonly code: 'invalid_utf8' | 'trailing_data' | 'extra_form_field' | 'duplicate_key' | 'malformed_form';
	readonly message: string;
}

/**
 * A body Kaltura may well have sent (a template in XML or text format, a form of fields, an object too deep) that the
 * plugin cannot read. Acknowledged, since Kaltura would otherwise send it again for ever, and never stored.
 */
export interface UnprocessableNotification {
	readonly kind: 'unprocessable';
	readonly reason: 'empty' | 'not_json' | 'too_deep' | 'not_an_object' | 'form_without_data';
}

export type NotificationParse = ParsedNotification | TamperedNotification | UnprocessableNotification;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const tampered = (code: TamperedNotification['code'], message: string): TamperedNotification => ({ kind: 'tampered', code, message });
const unprocessable = (reason: UnprocessableNotification['reason']): UnprocessableNotification => ({ kind: 'unprocessable', reason });

/** What PHP's urlencode() and JavaScript's encodeURIComponent() leave as they are, `+` (a space) and escapes. */
const FORM_VALUE = /^[\w.\-*~!'()+%]*$/;

/** Reads a signed notification body by the rules above; never throws. */
export function parseNotificationBody(raw: Buffer): NotificationParse {
	let body: string;
	try {
		body = decoder.decode(raw);
	} catch {
		return tampered('invalid_utf8', 'The notification is not valid UTF-8.');
	}
	if (body.trim() === '') return unprocessable('empty');
	let json = body;
	if (body.startsWith('data=')) {
		const value = body.slice('data='.length);
		// A raw `&` starts another field (urlencode() escapes every `&` of the JSON as %26); `=` would be a field with a name.
		if (value.includes('&')) return tampered('extra_form_field', 'The notification form has a field besides "data".');
		if (!FORM_VALUE.test(value)) return tampered('malformed_form', 'The notification form has characters url-encoding never leaves.');
		try {
			json = decodeURIComponent(value.replaceAll('+', ' '));
		} catch {
			return tampered('malformed_form', 'The notification form has a malformed escape.');
		}
	} else if (/^[\w.\-*~!'()%]*=/.test(body)) {
		// A form of fields (a DataFields template) without `data`: not what the plugin reads.
		return unprocessable('form_without_data');
	}
	const scan = scanJson(json);
	if (scan.kind !== 'parsed') return scan;
	// The scan checked the grammar, so this parse cannot fail; it builds the value natively, which is faster than by hand.
	const payload: unknown = JSON.parse(json);
	if (!isObject(payload)) return unprocessable('not_an_object');
	return { kind: 'parsed', payload };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The text of a JSON string literal the scan has already checked. */
function unescapeJsonString(literal: string): string | undefined {
	const text: unknown = JSON.parse(literal);
	return typeof text === 'string' ? text : undefined;
}

type Scan = { readonly kind: 'parsed' } | TamperedNotification | UnprocessableNotification;

/** JSON's insignificant whitespace: space, tab, line feed, carriage return. */
const isWhitespace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** Characters that may follow a backslash in a JSON string (besides `u` and four hex digits). */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const HEX4 = /^[\da-fA-F]{4}$/;

/**
 * One pass over a JSON text (RFC 8259), without recursion: checks the grammar, the depth, that no object repeats a key
 * (compared after unescaping, so "a" and "\u0061" are the same key), and that nothing but whitespace follows the value.
 * JSON.parse alone would keep the last of two equal keys without a word and accept nesting that later code recurses into.
 */
export function scanJson(text: string): Scan {
	const length = text.length;
	let at = 0;
	/** Per open container: the keys seen so far for an object, null for an array. */
	const open: (Set<string> | null)[] = [];
	const skipWhitespace = () => {
		while (at < length && isWhitespace(text.charCodeAt(at))) at++;
	};
	/**
	 * The string starting at `at` (a quote), by hand rather than with a regular expression, which was most of the scan's
	 * time: its text when `asKey` (unescaped), else an empty string; undefined when it is not a valid JSON string.
	 */
	const readString = (asKey: boolean): string | undefined => {
		const start = at;
		let escaped = false;
		for (let index = at + 1; index < length; index++) {
			const code = text.charCodeAt(index);
			if (code === 0x22) {
				at = index + 1;
				if (!asKey) return '';
				return escaped ? unescapeJsonString(text.slice(start, at)) : text.slice(start + 1, index);
			}
			// Control characters (U+0000 to U+001F) must be escaped inside a JSON string.
			if (code < 0x20) return undefined;
			if (code === 0x5c) {
				escaped = true;
				const next = text.charCodeAt(index + 1);
				if (next === 0x75) {
					if (!HEX4.test(text.slice(index + 2, index + 6))) return undefined;
					index += 5;
				} else if (SIMPLE_ESCAPES.has(next)) index++;
				else return undefined;
			}
		}
		return undefined;
	};

	for (;;) {
		// A value.
		skipWhitespace();
		const char = text[at];
		if (char === '{' || char === '[') {
			if (open.length >= MAX_JSON_DEPTH) return unprocessable('too_deep');
			at++;
			skipWhitespace();
			if (char === '[') {
				open.push(null);
				if (text[at] !== ']') continue;
			} else {
				const keys = new Set<string>();
				open.push(keys);
				if (text[at] !== '}') {
					const member = readMember(keys);
					if (member !== undefined) return member;
					continue;
				}
			}
			at++;
			open.pop();
		} else if (char === '"') {
			if (readString(false) === undefined) return unprocessable('not_json');
		} else if (text.startsWith('true', at)) at += 4;
		else if (text.startsWith('false', at)) at += 5;
		else if (text.startsWith('null', at)) at += 4;
		else {
			NUMBER.lastIndex = at;
			const match = NUMBER.exec(text);
			if (match === null) return unprocessable('not_json');
			at += match[0].length;
		}
		// After a value: close containers, or go on to the next element or member.
		for (;;) {
			skipWhitespace();
			const container = open.at(-1);
			if (container === undefined) {
				if (at === length) return { kind: 'parsed' };
				return tampered('trailing_data', 'The notification has data after its JSON document.');
			}
			const closer = container === null ? ']' : '}';
			if (text[at] === closer) {
				at++;
				open.pop();
				continue;
			}
			if (text[at] !== ',') return unprocessable('not_json');
			at++;
			if (container !== null) {
				skipWhitespace();
				const member = readMember(container);
				if (member !== undefined) return member;
			}
			break;
		}
	}

	/** `"key" :` of an object's member, up to its value; undefined when it is fine. */
	function readMember(keys: Set<string>): TamperedNotification | UnprocessableNotification | undefined {
		if (text[at] !== '"') return unprocessable('not_json');
		const key = readString(true);
		if (key === undefined) return unprocessable('not_json');
		if (keys.has(key)) return tampered('duplicate_key', 'The notification names a key twice in one object.');
		keys.add(key);
		skipWhitespace();
		if (text[at] !== ':') return unprocessable('not_json');
		at++;
		return undefined;
	}
}

/** The idempotency key: Kaltura's job id (the same on every retry), else a hash of the body. */
export function notificationKey(jobId: string | null, raw: Buffer): string {
	return jobId === null ? `sha256:${createHash('sha256').update(raw).digest('hex')}` : `job:${jobId}`;
}
