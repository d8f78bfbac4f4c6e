/**
 * Fault injection. Rules match a service/action (or everything) and apply `times` times
 * (a number, or 'always'). Kinds:
 *  - latency   extra delay; with a match it applies per call (each multirequest sub-call too),
 *              without one per HTTP request
 *  - error     the call answers a KalturaAPIException (HTTP 200, in place inside a multirequest); see
 *              `actionBlocked` for Kaltura's rate limit
 *  - timeout   the HTTP request is never answered (until stop) or answered after `afterMs`
 *  - drop      the socket is destroyed (before or after the response headers)
 *  - httpStatus  a non-200 HTTP answer (e.g. a proxy's 502), which kaltura-client surfaces as an AxiosError
 */
import { errorBody, type KalturaApiErrorBody } from './errors.js';

export interface FaultMatch {
	/** wire id ("schedule_scheduleevent"), its plugin-less part ("scheduleEvent") or "multirequest"; case-insensitive */
	service?: string;
	/** action, case-insensitive; JS names listAction / deleteAction / cloneAction are accepted */
	action?: string;
}

export type Times = number | 'always';

export interface FaultHandle {
	readonly id: number;
	/** how many times the rule fired */
	readonly hits: number;
	/** remaining firings (Infinity for 'always') */
	readonly remaining: number;
	remove(): void;
}

type RuleKind =
	| { kind: 'latency'; ms: number }
	/** `callArgs`: the body's args are the blocked call's ACTION_NAME / SERVICE_NAME (ACTION_BLOCKED) */
	| { kind: 'error'; body: KalturaApiErrorBody; callArgs?: boolean }
	| { kind: 'timeout'; afterMs?: number }
	| { kind: 'drop'; phase: 'before-response' | 'after-headers' }
	| { kind: 'httpStatus'; status: number; body: string; contentType: string };

interface Rule {
	id: number;
	match: FaultMatch;
	remaining: number;
	hits: number;
	spec: RuleKind;
}

export function normalizeService(s: string): string {
	return s.toLowerCase();
}

export function normalizeAction(a: string): string {
	const l = a.toLowerCase();
	return ({ listaction: 'list', deleteaction: 'delete', cloneaction: 'clone' } as Record<string, string>)[l] ?? l;
}

export function serviceMatches(want: string | undefined, service: string): boolean {
	if (!want) return true;
	const w = normalizeService(want);
	const s = service.toLowerCase();
	return w === s || (s.includes('_') && s.slice(s.indexOf('_') + 1) === w);
}

function matches(m: FaultMatch, service: string, action: string): boolean {
	return serviceMatches(m.service, service) && (!m.action || normalizeAction(m.action) === action.toLowerCase());
}

export interface CallRef {
	service: string;
	action: string;
}

export class FaultInjector {
	private rules: Rule[] = [];
	private seq = 0;

	private add(match: FaultMatch | undefined, times: Times | undefined, spec: RuleKind): FaultHandle {
		const rule: Rule = {
			id: ++this.seq,
			match: match ?? {},
			hits: 0,
			spec,
			remaining: times === undefined || times === 'always' ? Infinity : times
		};
		this.rules.push(rule);
		const rules = () => this.rules;
		const setRules = (r: Rule[]) => {
			this.rules = r;
		};
		return {
			id: rule.id,
			get hits() {
				return rule.hits;
			},
			get remaining() {
				return rule.remaining;
			},
			remove() {
				setRules(rules().filter((x) => x !== rule));
			}
		};
	}

	/** Extra latency: global (per HTTP request) when `match` is omitted, else per matching call. */
	latency(ms: number, opts: { match?: FaultMatch; times?: Times } = {}): FaultHandle {
		return this.add(opts.match, opts.times, { kind: 'latency', ms });
	}

	/** Answer matching calls with a KalturaAPIException (known codes get the real message template). */
	error(code: string, opts: { match?: FaultMatch; times?: Times; args?: Record<string, string | number>; message?: string } = {}): FaultHandle {
		// ACTION_BLOCKED without args names the call it blocks, as Kaltura's does (see actionBlocked)
		const callArgs = code === 'ACTION_BLOCKED' && opts.args === undefined;
		return this.add(opts.match, opts.times ?? 1, { kind: 'error', body: errorBody(code, opts.args, opts.message), callArgs });
	}

	/**
	 * Kaltura's rate limit, as KalturaDispatcher::dispatch sends it (kaltura/server api_v3/lib/KalturaDispatcher.php:
	 * `throw new KalturaAPIException(KalturaErrors::ACTION_BLOCKED, $action, $service)` when
	 * KalturaResponseCacher::rateLimit finds the partner over an `api_rate_limit` rule): HTTP 200, code ACTION_BLOCKED,
	 * args ACTION_NAME and SERVICE_NAME being the lower-case action and service id of the blocked call (each
	 * multirequest sub-call is dispatched, and blocked, on its own). Kaltura checks it after the KS and before the
	 * action runs, so a blocked call changed nothing.
	 */
	actionBlocked(opts: { match?: FaultMatch; times?: Times } = {}): FaultHandle {
		return this.add(opts.match, opts.times ?? 1, { kind: 'error', body: errorBody('ACTION_BLOCKED'), callArgs: true });
	}

	/** Never answer (default) or answer after `afterMs` (the real result, late). */
	timeout(opts: { match?: FaultMatch; times?: Times; afterMs?: number } = {}): FaultHandle {
		const spec: RuleKind = opts.afterMs === undefined ? { kind: 'timeout' } : { kind: 'timeout', afterMs: opts.afterMs };
		return this.add(opts.match, opts.times ?? 1, spec);
	}

	/** Destroy the connection: before anything is written (default) or after the status line + headers. */
	drop(opts: { match?: FaultMatch; times?: Times; phase?: 'before-response' | 'after-headers' } = {}): FaultHandle {
		return this.add(opts.match, opts.times ?? 1, { kind: 'drop', phase: opts.phase ?? 'before-response' });
	}

	/** Answer with a non-200 HTTP status (Kaltura itself never does; a proxy / load balancer may). */
	httpStatus(status: number, opts: { match?: FaultMatch; times?: Times; body?: string; contentType?: string } = {}): FaultHandle {
		return this.add(opts.match, opts.times ?? 1, {
			kind: 'httpStatus',
			status,
			body: opts.body ?? `<html><body><h1>${status}</h1></body></html>`,
			contentType: opts.contentType ?? 'text/html'
		});
	}

	clear(): void {
		this.rules = [];
	}

	/** Rules still active (for debugging). */
	list(): Array<{ id: number; kind: string; match: FaultMatch; remaining: number; hits: number }> {
		return this.rules.map((r) => ({ id: r.id, kind: r.spec.kind, match: r.match, remaining: r.remaining, hits: r.hits }));
	}

	private take<K extends RuleKind['kind']>(kinds: K[], pred: (r: Rule) => boolean): Array<Rule & { spec: Extract<RuleKind, { kind: K }> }> {
		const out: Array<Rule & { spec: Extract<RuleKind, { kind: K }> }> = [];
		for (const r of this.rules) {
			if (!(kinds as string[]).includes(r.spec.kind) || r.remaining <= 0 || !pred(r)) continue;
			r.remaining -= 1;
			r.hits += 1;
			out.push(r as Rule & { spec: Extract<RuleKind, { kind: K }> });
		}
		this.rules = this.rules.filter((r) => r.remaining > 0);
		return out;
	}

	/** Per HTTP request: global latency total (rules without service/action). */
	takeRequestLatency(): number {
		return this.take(['latency'], (r) => !r.match.service && !r.match.action).reduce((a, r) => a + r.spec.ms, 0);
	}

	/** Per HTTP request: the first connection-level fault (timeout / drop / httpStatus) for any of the calls. */
	takeConnectionFault(calls: CallRef[], isMulti: boolean): RuleKind | undefined {
		const first = this.take(['timeout', 'drop', 'httpStatus'], (r) => {
			if (!r.match.service && !r.match.action) return true;
			if (isMulti && serviceMatches(r.match.service, 'multirequest') && !r.match.action) return true;
			return calls.some((c) => matches(r.match, c.service, c.action));
		})[0];
		return first?.spec;
	}

	/** Per call: latency for rules with a match. */
	takeCallLatency(call: CallRef): number {
		return this.take(['latency'], (r) => (!!r.match.service || !!r.match.action) && matches(r.match, call.service, call.action)).reduce(
			(a, r) => a + r.spec.ms,
			0
		);
	}

	/** Per call: an injected error body, if any. */
	takeCallError(call: CallRef): KalturaApiErrorBody | undefined {
		const r = this.take(['error'], (x) => matches(x.match, call.service, call.action))[0];
		if (!r) return undefined;
		if (r.spec.callArgs) return errorBody(r.spec.body.code, { ACTION_NAME: call.action, SERVICE_NAME: call.service });
		return { ...r.spec.body };
	}
}
