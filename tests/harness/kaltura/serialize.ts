/**
 * Response serialisation as KalturaJsonSerializer does it (kaltura/server api_v3/lib/KalturaJsonSerializer.php
 * `unsetNull`): null properties removed (deep), every object keeps its `objectType` (appended last, from
 * get_class), arrays stay arrays, scalars stay scalars.
 */
export function toWire(value: unknown): unknown {
	if (value === null || value === undefined) return null;
	if (Array.isArray(value)) return value.map((v) => toWire(v)).filter((v) => v !== null);
	if (typeof value === 'object') {
		const out: Record<string, unknown> = {};
		let objectType: unknown;
		for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
			if (k.startsWith('__')) continue; // stand-in private bookkeeping
			if (v === null || v === undefined) continue;
			if (k === 'objectType') {
				objectType = v;
				continue;
			}
			out[k] = toWire(v);
		}
		if (objectType !== undefined) out.objectType = objectType; // the server appends objectType last
		return out;
	}
	return value;
}

/** Deep copy of a JSON-ish value (state objects are never handed out by reference). */
export function clone<T>(v: T): T {
	return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export interface ListResponse<T> {
	objects: T[];
	totalCount: number;
	objectType: string;
}

export function listResponse<T>(objectType: string, objects: T[], totalCount: number): ListResponse<T> {
	return { objects, totalCount, objectType };
}

/** Minimal XML rendering (format=2 or no format), enough for a client to see a result or an error. */
export function toXml(value: unknown, executionTime = 0): string {
	const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const render = (v: unknown): string => {
		if (v === null || v === undefined) return '';
		if (Array.isArray(v)) return v.map((x) => `<item>${render(x)}</item>`).join('');
		if (typeof v === 'object') {
			const o = v as Record<string, unknown>;
			if (o.objectType === 'KalturaAPIException') {
				return `<error><objectType>KalturaAPIException</objectType><code>${esc(String(o.code))}</code><message>${esc(String(o.message))}</message><args>${render(o.args)}</args></error>`;
			}
			return Object.entries(o)
				.map(([k, x]) => `<${k}>${render(x)}</${k}>`)
				.join('');
		}
		if (typeof v === 'boolean') return v ? '1' : '0';
		return esc(String(v));
	};
	return `<?xml version="1.0" encoding="utf-8"?><xml><result>${render(value)}</result><executionTime>${executionTime}</executionTime></xml>`;
}
