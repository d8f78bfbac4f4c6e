/** Small re-implementations of the PHP string functions the Kaltura server relies on. */

/** PHP `urlencode` (RFC 1738): everything but [A-Za-z0-9_.-] is %XX (upper case); space is '+'. */
export function phpUrlencode(s: string): string {
	return encodeURIComponent(s)
		.replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
		.replace(/%20/g, '+');
}

/** PHP `urldecode`: '+' is space; invalid %-sequences are left as they are. */
export function phpUrldecode(s: string): string {
	const plus = s.replace(/\+/g, ' ');
	try {
		return decodeURIComponent(plus);
	} catch {
		// decode what can be decoded, leave the rest
		return plus.replace(/(%[0-9A-Fa-f]{2})+/g, (m) => {
			try {
				return decodeURIComponent(m);
			} catch {
				return m;
			}
		});
	}
}

/** PHP `http_build_query` for a flat ordered map (null values are skipped, as PHP does). */
export function httpBuildQuery(fields: Iterable<[string, string | number | null | undefined]>): string {
	const parts: string[] = [];
	for (const [k, v] of fields) {
		if (v === null || v === undefined) continue;
		parts.push(`${phpUrlencode(k)}=${phpUrlencode(String(v))}`);
	}
	return parts.join('&');
}

/**
 * PHP `parse_str` for flat keys: later duplicates win; in key names leading spaces are dropped and
 * ' ' and '.' become '_' (PHP's register-globals legacy). Array syntax (`a[]`) is not expanded.
 */
export function parseStr(query: string): Map<string, string> {
	const out = new Map<string, string>();
	if (query === '') return out;
	for (const pair of query.split('&')) {
		if (pair === '') continue;
		const eq = pair.indexOf('=');
		const rawKey = eq === -1 ? pair : pair.slice(0, eq);
		const rawVal = eq === -1 ? '' : pair.slice(eq + 1);
		const key = phpUrldecode(rawKey).replace(/^ +/, '').replace(/[ .]/g, '_');
		if (key === '') continue;
		out.set(key, phpUrldecode(rawVal));
	}
	return out;
}
