/**
 * HTTP event notifications as Kaltura's batch worker sends them:
 *  - body: JSON `KalturaHttpNotification` (ObjectData template), form fields (DataFields), text, or empty
 *  - X-KALTURA-SIGNATURE = lowercase hex of HASH(adminSecret + data)  (plain concatenation, not HMAC;
 *    data = raw body, or the query string for GET), X-KALTURA-HASH-ALGO = sha1|sha256|sha512
 *  - success is HTTP 200 or 204 only; anything else (incl. 201/202, network errors, timeouts) is retried,
 *    with the same eventNotificationJobId, `attempts` times in total, `retryIntervalMs` apart
 *    (Kaltura's open-source defaults: 3 attempts, 60 s apart).
 */
import { setMaxListeners } from 'node:events';
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Obj } from './params.js';
import { toWire } from './serialize.js';
import type { KalturaState } from './state.js';

export type HashAlgo = 'sha1' | 'sha256' | 'sha512';
export type HttpMethod = 'POST' | 'GET' | 'PUT' | 'DELETE';

/** KCurlWrapper::HTTP_USER_AGENT */
export const KALTURA_NOTIFICATION_USER_AGENT = 'Mozilla/5.0 (Windows; U; Windows NT 5.1; en-US; rv:1.9.0.6) Gecko/2009011913 Firefox/3.0.6';

/** SecureHashingAlgo enum (template.secureHashingAlgo) → algorithm */
export function algoFromSecureHashingAlgo(v: unknown): HashAlgo {
	return Number(v) === 2 ? 'sha256' : Number(v) === 3 ? 'sha512' : 'sha1';
}

/**
 * PHP's urlencode(), which KalturaHttpNotificationObjectData::getData() applies to the JSON of templates with the legacy
 * urlEncode flag (kaltura/server plugins/event_notification/providers/http/lib/api/KalturaHttpNotificationObjectData.php):
 * everything but letters, digits and `-_.` escaped, spaces as `+`.
 */
export function phpUrlencode(text: string): string {
	return encodeURIComponent(text)
		.replace(/%20/g, '+')
		.replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** hex(HASH(secret + data)) — what Kaltura puts in X-KALTURA-SIGNATURE */
export function signKalturaPayload(secret: string, data: string | Buffer, algo: HashAlgo = 'sha1'): string {
	return createHash(algo)
		.update(Buffer.concat([Buffer.from(secret, 'utf8'), Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8')]))
		.digest('hex');
}

export interface DeliveryAttempt {
	attempt: number;
	/** final HTTP status (after redirects); undefined when no response */
	status?: number;
	/** network error / timeout message */
	error?: string;
	responseBody?: string;
	startedAt: number;
	durationMs: number;
}

export interface DeliveryResult {
	url: string;
	method: HttpMethod;
	delivered: boolean;
	attempts: DeliveryAttempt[];
	/** status of each attempt (undefined where there was no response) */
	statuses: Array<number | undefined>;
	body: string;
	headers: Record<string, string>;
	signature: string;
	algo: HashAlgo;
	jobId?: number;
	templateId?: number;
	eventType?: number;
	eventObjectType?: number | string;
}

export interface SendOptions {
	url: string;
	/** raw body; for GET it becomes the query string */
	body?: string;
	/** convenience: JSON.stringify(payload) with Content-Type application/json */
	payload?: unknown;
	contentType?: string;
	method?: HttpMethod;
	/**
	 * The template's secureHashingAlgo. Default sha256: what `npm run kaltura:webhooks` sets (the bot's default
	 * KALTURA_WEBHOOK_HASH); Kaltura's own default for a template without one is sha1.
	 */
	algo?: HashAlgo;
	/** send X-KALTURA-HASH-ALGO (servers since 2024-07 do; older ones send only the SHA-1 signature). Default true */
	sendAlgoHeader?: boolean;
	/** default: the partner admin secret */
	secret?: string;
	/** total attempts (default from the stand-in options, 3) */
	attempts?: number;
	/** pause between attempts in ms (default from the stand-in options) */
	retryIntervalMs?: number;
	/** per-attempt timeout in ms */
	timeoutMs?: number;
	headers?: Record<string, string>;
	/** bookkeeping carried into the result */
	jobId?: number;
	templateId?: number;
	eventType?: number;
	eventObjectType?: number | string;
}

export type NotificationEventName =
	| 'entryAdded'
	| 'entryCreated'
	| 'entryReady'
	| 'entryStatusChanged'
	| 'entryChanged'
	| 'entryDeleted'
	| 'liveStreamStarted'
	| 'liveStreamEnded'
	| 'userCreated'
	| 'entryAddedToCategory'
	| 'categoryChanged';

/** event name → (eventType, eventObjectType, object overrides) */
export const NOTIFICATION_EVENTS: Record<NotificationEventName, { eventType: number; eventObjectType: number | string; overrides?: Obj }> = {
	entryAdded: { eventType: 2, eventObjectType: 1 },
	entryCreated: { eventType: 5, eventObjectType: 1 },
	entryReady: { eventType: 3, eventObjectType: 1, overrides: { status: 2 } },
	entryStatusChanged: { eventType: 3, eventObjectType: 1 },
	entryChanged: { eventType: 3, eventObjectType: 1 },
	entryDeleted: { eventType: 7, eventObjectType: 1, overrides: { status: 3 } },
	liveStreamStarted: { eventType: 3, eventObjectType: 1, overrides: { liveStatus: 1 } },
	liveStreamEnded: { eventType: 3, eventObjectType: 1, overrides: { liveStatus: 0 } },
	userCreated: { eventType: 5, eventObjectType: 8 },
	entryAddedToCategory: { eventType: 5, eventObjectType: 37 },
	categoryChanged: { eventType: 3, eventObjectType: 2 }
};

export interface SendEventOptions extends Omit<SendOptions, 'body' | 'payload'> {
	event: NotificationEventName;
	/** the API object, or an entry id / user id looked up in the stand-in state */
	object: Obj | string;
	/** the template the notification claims to come from */
	template?: { id: number; name?: string; systemName?: string };
	/**
	 * 'object' (default): JSON KalturaHttpNotification (KalturaHttpNotificationObjectData, format JSON)
	 * 'urlencoded-object': data=<urlencoded JSON> (templates with the legacy urlEncode flag; still Content-Type application/json,
	 *   KalturaHttpNotificationObjectData::getContentType())
	 * 'fields': form fields entry_id, entry_name, entry_status, entry_reference_id (KalturaHttpNotificationDataFields)
	 * 'empty': no body (template without data)
	 */
	format?: 'object' | 'urlencoded-object' | 'fields' | 'empty';
}

export interface SenderDefaults {
	attempts: number;
	retryIntervalMs: number;
	timeoutMs: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
	new Promise<void>((resolve) => {
		if (signal.aborted) return resolve();
		const t = setTimeout(resolve, ms);
		signal.addEventListener(
			'abort',
			() => {
				clearTimeout(t);
				resolve();
			},
			{ once: true }
		);
	});

export class NotificationSender {
	/** every delivery (explicit sends and template-driven dispatches), in start order */
	readonly deliveries: DeliveryResult[] = [];
	private readonly pending = new Set<Promise<DeliveryResult>>();
	private readonly abort = new AbortController();
	private jobSeq = 7_000_000;

	constructor(
		private readonly adminSecret: string,
		readonly defaults: SenderDefaults,
		private readonly state?: KalturaState
	) {
		// Every send in flight listens on this one signal: a burst of hundreds is expected, not a leak.
		setMaxListeners(0, this.abort.signal);
	}

	nextJobId(): number {
		return ++this.jobSeq;
	}

	/** Build the KalturaHttpNotification JSON object Kaltura sends for an ObjectData template. */
	buildNotification(opts: {
		eventType: number;
		eventObjectType: number | string;
		object: Obj;
		jobId: number;
		template?: { id: number; name?: string; systemName?: string };
	}): Obj {
		return toWire({
			object: opts.object,
			eventObjectType: opts.eventObjectType,
			eventNotificationJobId: opts.jobId,
			templateId: opts.template?.id,
			templateName: opts.template?.name,
			templateSystemName: opts.template?.systemName,
			eventType: opts.eventType,
			objectType: 'KalturaHttpNotification'
		}) as Obj;
	}

	private resolveObject(object: Obj | string, eventObjectType: number | string): Obj {
		if (typeof object !== 'string') return { ...object };
		const found = eventObjectType === 8 ? this.state?.getUser(object) : this.state?.entries.get(object);
		if (!found) throw new Error(`stand-in has no object "${object}" to notify about`);
		return JSON.parse(JSON.stringify(found)) as Obj;
	}

	/** Send the notification Kaltura would send for `event` about `object`. */
	sendEvent(opts: SendEventOptions): Promise<DeliveryResult> {
		const ev = NOTIFICATION_EVENTS[opts.event];
		const object = { ...this.resolveObject(opts.object, ev.eventObjectType), ...(ev.overrides ?? {}) };
		const jobId = opts.jobId ?? this.nextJobId();
		const format = opts.format ?? 'object';
		const base: SendOptions = { ...opts, jobId, eventType: ev.eventType, eventObjectType: ev.eventObjectType };
		if (opts.template) base.templateId = opts.template.id;
		if (format === 'empty') return this.send({ ...base, body: '' });
		if (format === 'fields') {
			const fields = new URLSearchParams({
				entry_id: String(object.id ?? ''),
				entry_name: String(object.name ?? ''),
				entry_status: String(object.status ?? ''),
				entry_reference_id: String(object.referenceId ?? '')
			});
			return this.send({ ...base, body: fields.toString(), contentType: opts.contentType ?? 'application/x-www-form-urlencoded' });
		}
		const notification = this.buildNotification({
			eventType: ev.eventType,
			eventObjectType: ev.eventObjectType,
			object: toWire(object) as Obj,
			jobId,
			...(opts.template ? { template: opts.template } : {})
		});
		const json = JSON.stringify(notification);
		if (format === 'urlencoded-object') {
			return this.send({ ...base, body: `data=${phpUrlencode(json)}`, contentType: opts.contentType ?? 'application/json' });
		}
		return this.send({ ...base, body: json, contentType: 'application/json' });
	}

	/** POST (or GET/PUT/DELETE) a signed notification with Kaltura's retry policy. */
	send(opts: SendOptions): Promise<DeliveryResult> {
		const p = this.deliver(opts);
		this.pending.add(p);
		void p.finally(() => this.pending.delete(p));
		return p;
	}

	/** Resolves when every delivery started so far has finished (incl. its retries). */
	async idle(): Promise<void> {
		while (this.pending.size) await Promise.allSettled([...this.pending]);
	}

	/** Cancel pending retries (deliveries then resolve with what they have). */
	stop(): void {
		this.abort.abort();
	}

	private async deliver(opts: SendOptions): Promise<DeliveryResult> {
		const method = opts.method ?? 'POST';
		const algo = opts.algo ?? 'sha256';
		let body = opts.body ?? (opts.payload !== undefined ? JSON.stringify(opts.payload) : '');
		const contentType = opts.contentType ?? (opts.payload !== undefined ? 'application/json' : undefined);
		let url = opts.url;
		if (method === 'GET' && body !== '') {
			url += (url.includes('?') ? '&' : '?') + body;
		}
		const signature = signKalturaPayload(opts.secret ?? this.adminSecret, body, algo);
		const headers: Record<string, string> = {
			'User-Agent': KALTURA_NOTIFICATION_USER_AGENT,
			Accept: '*/*',
			'X-KALTURA-SIGNATURE': signature,
			...(opts.sendAlgoHeader === false ? {} : { 'X-KALTURA-HASH-ALGO': algo }),
			...(contentType && method !== 'GET' ? { 'Content-Type': contentType } : {}),
			...(opts.headers ?? {})
		};
		if (method === 'GET') body = '';
		const result: DeliveryResult = {
			url,
			method,
			delivered: false,
			attempts: [],
			statuses: [],
			body: opts.body ?? body,
			headers,
			signature,
			algo
		};
		if (opts.jobId !== undefined) result.jobId = opts.jobId;
		if (opts.templateId !== undefined) result.templateId = opts.templateId;
		if (opts.eventType !== undefined) result.eventType = opts.eventType;
		if (opts.eventObjectType !== undefined) result.eventObjectType = opts.eventObjectType;
		this.deliveries.push(result);

		const attempts = Math.max(1, opts.attempts ?? this.defaults.attempts);
		const interval = opts.retryIntervalMs ?? this.defaults.retryIntervalMs;
		const timeoutMs = opts.timeoutMs ?? this.defaults.timeoutMs;
		for (let i = 1; i <= attempts && !this.abort.signal.aborted; i++) {
			const startedAt = Date.now();
			const a: DeliveryAttempt = { attempt: i, startedAt, durationMs: 0 };
			try {
				const res = await sendOnce(url, method, headers, body, timeoutMs, this.abort.signal);
				a.status = res.status;
				a.responseBody = res.body;
			} catch (e) {
				a.error = e instanceof Error ? e.message : String(e);
			}
			a.durationMs = Date.now() - startedAt;
			result.attempts.push(a);
			result.statuses.push(a.status);
			if (a.status === 200 || a.status === 204) {
				result.delivered = true;
				break;
			}
			if (i < attempts) await sleep(interval, this.abort.signal);
		}
		return result;
	}
}

/** One HTTP exchange, following redirects with the same method and body (curl FOLLOWLOCATION + POSTREDIR). */
function sendOnce(
	url: string,
	method: HttpMethod,
	headers: Record<string, string>,
	body: string,
	timeoutMs: number,
	signal: AbortSignal,
	redirects = 0
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		const payload = Buffer.from(body, 'utf8');
		const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
			u,
			{
				method,
				headers: { ...headers, ...(method !== 'GET' ? { 'Content-Length': String(payload.length) } : {}) },
				signal
			},
			(res: IncomingMessage) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const status = res.statusCode ?? 0;
					const location = res.headers.location;
					if (status >= 300 && status < 400 && location && redirects < 5) {
						sendOnce(new URL(location, u).toString(), method, headers, body, timeoutMs, signal, redirects + 1).then(resolve, reject);
						return;
					}
					resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
				});
				res.on('error', reject);
			}
		);
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
		req.on('error', reject);
		if (method !== 'GET') req.write(payload);
		req.end();
	});
}
