/**
 * Removes secrets from text before it leaves the process (log lines, replies, API errors).
 *
 * Two kinds of secret are caught: the exact values the operator configured (admin secret, tokens)
 * and anything shaped like a credential even when its value is unknown here, such as a KS minted
 * for a user, a JWT or another bot's token pasted into a command.
 */
export const REDACTED = '[REDACTED]';

const CREDENTIAL_PATTERNS: readonly RegExp[] = [
	// Kaltura sessions: v2 KS start with base64("v2|") = "djJ8", v1 with base64("v1|")-like "djF8".
	/\bdj[JF]8[A-Za-z0-9+/_=-]{8,}/g,
	// JWTs: base64url JSON header and payload, both starting with '{"' = "eyJ".
	/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
	// Discord bot tokens: base64(user id) . timestamp . HMAC.
	/\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}/g,
	// Passwords in connection strings: scheme://user:password@host.
	/(?<=[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s/]+(?=@)/gi,
	// A live stream's password in its RTMP(S) ingest URL (`rtmp://host:1935/kLive?t=<password>`, kaltura/server kBroadcastUrlManager).
	/(?<=\brtmps?:\/\/[^\s?#]*\?(?:[^\s#]*&)?t=)[^&\s#"'`]+/gi,
	// …and in its SRT stream id (`#:::e=<entryId>,st=0,p=<password>`, kBroadcastUrlManager createSrtStreamId).
	/(?<=#:::[^\s]*\bp=)[^,\s"'`]+/g
];

/** Shorter configured values would redact ordinary words; they are not plausible secrets anyway. */
const MINIMUM_SECRET_LENGTH = 6;

export class SecretRedactor {
	readonly #secrets = new Set<string>();

	public constructor(secrets: Iterable<string | undefined> = []) {
		for (const secret of secrets) this.addSecret(secret);
	}

	public addSecret(secret: string | undefined): this {
		if (!secret || secret.length < MINIMUM_SECRET_LENGTH) return this;
		this.#secrets.add(secret);
		// Also as it reads inside JSON text (a config value shown with JSON.stringify): quotes, backslashes and
		// control characters are escaped there, so the raw secret would not be found.
		const escaped = JSON.stringify(secret).slice(1, -1);
		if (escaped !== secret) this.#secrets.add(escaped);
		return this;
	}

	public redact(text: string): string {
		let result = text;
		for (const secret of this.#secrets) {
			if (result.includes(secret)) result = result.split(secret).join(REDACTED);
		}
		for (const pattern of CREDENTIAL_PATTERNS) result = result.replace(pattern, REDACTED);
		return result;
	}

	/** Redacts every string inside a value, returning a copy; errors become plain objects that keep message and stack. */
	public redactDeep<T>(value: T): T {
		// The copy has the value's shape, walked key by key; only an Error loses its prototype (name, message
		// and stack stay as own fields), which serialises the same in logs and JSON, the copy's only uses.
		return this.#redactValue(value, new WeakMap()) as T;
	}

	#redactValue(value: unknown, seen: WeakMap<object, unknown>): unknown {
		if (typeof value === 'string') return this.redact(value);
		if (typeof value !== 'object' || value === null) return value;
		if (seen.has(value)) return seen.get(value);

		if (Array.isArray(value)) {
			const copy: unknown[] = [];
			seen.set(value, copy);
			for (const item of value) copy.push(this.#redactValue(item, seen));
			return copy;
		}

		const copy: Record<string, unknown> = {};
		seen.set(value, copy);
		if (value instanceof Error) {
			copy.name = value.name;
			copy.message = this.redact(value.message);
			if (value.stack) copy.stack = this.redact(value.stack);
		}
		for (const [key, item] of Object.entries(value)) copy[key] = this.#redactValue(item, seen);
		return copy;
	}
}
