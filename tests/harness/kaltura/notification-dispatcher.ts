/**
 * Template-driven dispatch: when the stand-in's state changes (entry added / status changed / live
 * status changed / user created ...), every ACTIVE partner HTTP template (status 2) whose eventType and
 * eventObjectType match — and whose condition holds — is sent to its `url` through the NotificationSender,
 * as Kaltura's EventNotificationHandler batch job would (asynchronously, with retries).
 *
 * Body by template.data:
 *  - none                                   → empty body
 *  - KalturaHttpNotificationObjectData      → JSON KalturaHttpNotification (object typed as apiObjectType), Content-Type
 *    application/json; `data=` + PHP urlencode(JSON) instead when the template has the legacy urlEncode flag
 *    (`urlEncode: true` here: Kaltura keeps it in the template's custom data, true for templates from before it,
 *    false for new ones, and does not show it in the API: kaltura/server plugins/event_notification/lib/model/
 *    EventNotificationTemplate.php, providers/http/lib/api/KalturaHttpNotificationObjectData.php getData()). The
 *    XML and PHP formats send `data=<serialised object>` as application/xml, which the stand-in does not serialise:
 *    it sends them as the url-encoded JSON with that content type.
 *  - KalturaHttpNotificationDataFields      → form fields of content + user parameters
 *  - KalturaHttpNotificationDataText        → content text with {key} replaced
 * Signature algorithm from template.secureHashingAlgo (1 SHA-1, 2 SHA-256, 3 SHA-512).
 */
import type { Obj } from './params.js';
import { algoFromSecureHashingAlgo, phpUrlencode, type DeliveryResult, type HttpMethod, type NotificationSender } from './notification-sender.js';
import type { DomainEvent, KalturaState, TemplateCondition } from './state.js';

const METHODS: Record<number, HttpMethod> = { 1: 'GET', 2: 'POST', 3: 'PUT', 4: 'DELETE' };

/** Evaluate the PHP expressions the stock templates use: $scope->getObject()->getX() */
export function evalCode(code: string, object: Obj): string {
	const m = /^\s*\$scope->getObject\(\)->get(\w+)\(\)\s*$/.exec(code);
	if (!m) return '';
	const name = m[1] as string;
	const special: Record<string, string> = { ReferenceID: 'referenceId', PuserId: 'id', Id: 'id' };
	const prop = special[name] ?? name.charAt(0).toLowerCase() + name.slice(1);
	const v = object[prop];
	return v === undefined || v === null ? '' : String(v);
}

function paramValue(param: Obj, object: Obj): string {
	const value = (param.value ?? {}) as Obj;
	if (value.objectType === 'KalturaEvalStringField' && typeof value.code === 'string') return evalCode(value.code, object);
	if (value.value !== undefined && value.value !== null) return String(value.value);
	return '';
}

function collectParams(template: Obj, object: Obj): Map<string, string> {
	const out = new Map<string, string>();
	for (const list of [template.contentParameters, template.userParameters]) {
		if (!Array.isArray(list)) continue;
		for (const p of list as Obj[]) if (typeof p.key === 'string') out.set(p.key, paramValue(p, object));
	}
	return out;
}

export function conditionHolds(cond: TemplateCondition | undefined, template: Obj, e: DomainEvent): boolean {
	if (!cond) return true;
	switch (cond.kind) {
		case 'always':
			return true;
		case 'modified':
			return cond.columns.some((c) => e.modifiedColumns.includes(c));
		case 'fieldEquals':
			return String(e.object[cond.field] ?? '') === cond.value;
		case 'fieldIn':
			return cond.values.includes(String(e.object[cond.field] ?? ''));
		case 'unsupported':
			return false;
		case 'and':
			return cond.all.every((c) => conditionHolds(c, template, e));
		case 'modifiedEquals': {
			if (!e.modifiedColumns.includes(cond.column)) return false;
			const want = cond.userParameterKey ? collectParams(template, e.object).get(cond.userParameterKey) : cond.value;
			return want !== undefined && want !== '' && String(e.object[cond.field] ?? '') === want;
		}
	}
}

export interface DispatcherOptions {
	/** delay before a matching event is sent (Kaltura: seconds; default 0) */
	delayMs: number;
	enabled: boolean;
}

export class NotificationDispatcher {
	private unsubscribe: (() => void) | undefined;
	private readonly timers = new Set<NodeJS.Timeout>();

	constructor(
		private readonly state: KalturaState,
		private readonly sender: NotificationSender,
		readonly options: DispatcherOptions
	) {
		this.unsubscribe = state.onDomainEvent((e) => this.onEvent(e));
		state.manualDispatch = (template, data) => this.dispatchManual(template, data);
	}

	stop(): void {
		this.unsubscribe?.();
		this.unsubscribe = undefined;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
	}

	private onEvent(e: DomainEvent): void {
		if (!this.options.enabled) return;
		for (const t of this.state.templates.values()) {
			if (t.partnerId !== e.partnerId || t.partnerId === 0) continue;
			if (t.status !== 2 || t.type !== 'httpNotification.Http' || t.automaticDispatchEnabled === false) continue;
			if (Number(t.eventType) !== e.eventType || String(t.eventObjectType) !== String(e.eventObjectType)) continue;
			if (!t.url) continue;
			if (!conditionHolds(this.state.templateConditions.get(t.id as number), t, e)) continue;
			const template = JSON.parse(JSON.stringify(t)) as Obj;
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				void this.send(template, e);
			}, this.options.delayMs);
			this.timers.add(timer);
		}
	}

	private dispatchManual(template: Obj, data: Obj | undefined): number {
		const jobId = this.sender.nextJobId();
		const e: DomainEvent = {
			eventType: Number(template.eventType ?? 0),
			eventObjectType: (template.eventObjectType as number | string) ?? 0,
			object: {},
			modifiedColumns: [],
			partnerId: template.partnerId as number
		};
		const extra = new Map<string, string>();
		if (data && Array.isArray(data.contentParameters)) {
			for (const kv of data.contentParameters as Obj[]) if (typeof kv.key === 'string') extra.set(kv.key, String(kv.value ?? ''));
		}
		void this.send(template, e, jobId, extra);
		return jobId;
	}

	/** Build and send one template's notification for an event. */
	send(template: Obj, e: DomainEvent, jobId = this.sender.nextJobId(), extraParams?: Map<string, string>): Promise<DeliveryResult> {
		const data = template.data as Obj | undefined;
		const params = collectParams(template, e.object);
		for (const [k, v] of extraParams ?? []) params.set(k, v);
		let body = '';
		let contentType: string | undefined;
		const dataType = data?.objectType;
		if (dataType === 'KalturaHttpNotificationObjectData') {
			const apiObjectType = typeof data?.apiObjectType === 'string' ? data.apiObjectType : undefined;
			const object = { ...e.object, ...(apiObjectType ? { objectType: apiObjectType } : {}) };
			const notification = this.sender.buildNotification({
				eventType: e.eventType,
				eventObjectType: e.eventObjectType,
				object,
				jobId,
				template: { id: template.id as number, name: template.name as string, systemName: template.systemName as string }
			});
			const json = JSON.stringify(notification);
			if (Number(data?.format ?? 1) !== 1) {
				body = `data=${phpUrlencode(json)}`;
				contentType = 'application/xml';
			} else {
				body = template.urlEncode === true ? `data=${phpUrlencode(json)}` : json;
				contentType = 'application/json';
			}
		} else if (dataType === 'KalturaHttpNotificationDataFields') {
			body = new URLSearchParams([...params.entries()]).toString().replace(/%20/g, '+');
			contentType = typeof data?.contentType === 'string' ? data.contentType : 'application/x-www-form-urlencoded';
		} else if (dataType === 'KalturaHttpNotificationDataText') {
			const content = (data?.content ?? {}) as Obj;
			let text =
				content.objectType === 'KalturaEvalStringField' && typeof content.code === 'string'
					? evalCode(content.code, e.object)
					: String(content.value ?? '');
			for (const [k, v] of params) text = text.split(`{${k}}`).join(v);
			body = text;
			if (typeof data?.contentType === 'string') contentType = data.contentType;
		}
		const headers: Record<string, string> = {};
		if (Array.isArray(template.customHeaders)) {
			for (const h of template.customHeaders as Obj[]) {
				if (typeof h.key !== 'string') continue;
				let v = String(h.value ?? '');
				for (const [k, pv] of params) v = v.split(`{${k}}`).join(pv);
				headers[h.key] = v;
			}
		}
		const timeout = Number(template.timeout ?? 0);
		return this.sender.send({
			url: String(template.url).replace('{DC}', '0'),
			body,
			...(contentType ? { contentType } : {}),
			method: METHODS[Number(template.method ?? 2)] ?? 'POST',
			algo: algoFromSecureHashingAlgo(template.secureHashingAlgo),
			headers,
			...(timeout > 0 ? { timeoutMs: timeout * 1000 } : {}),
			jobId,
			templateId: template.id as number,
			eventType: e.eventType,
			eventObjectType: e.eventObjectType
		});
	}
}
