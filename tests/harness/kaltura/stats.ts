/** Request / call counters, concurrency peaks and a call log for assertions. */
import { normalizeAction, serviceMatches } from './faults.js';

export interface CallRecord {
	seq: number;
	service: string;
	action: string;
	/** the call's params without ks / kalsig / clientTag / apiVersion / format */
	params: Record<string, unknown>;
	ks?: string;
	ksUserId?: string;
	ksType?: number;
	multirequest: boolean;
	/** error code when the call answered a KalturaAPIException */
	errorCode?: string;
	startedAt: number;
	durationMs: number;
}

interface ActionCounter {
	calls: number;
	errors: number;
	inFlight: number;
	peakInFlight: number;
}

const HIDDEN = new Set(['ks', 'kalsig', 'clientTag', 'apiVersion', 'format', 'service', 'action']);

export class StandInStats {
	/** HTTP requests received (a multirequest counts once) */
	requests = 0;
	/** service actions executed (each multirequest sub-call counts) */
	calls = 0;
	/** HTTP requests being processed now */
	inFlight = 0;
	/** highest inFlight seen */
	peakInFlight = 0;
	/** connections dropped / requests left hanging by fault rules */
	dropped = 0;
	hung = 0;
	readonly byAction = new Map<string, ActionCounter>();
	readonly log: CallRecord[] = [];
	/** unsupported filter properties, unexpected exceptions, ... */
	readonly warnings: string[] = [];
	private seq = 0;

	reset(): void {
		this.requests = 0;
		this.calls = 0;
		this.peakInFlight = this.inFlight;
		this.dropped = 0;
		this.hung = 0;
		this.byAction.clear();
		this.log.length = 0;
		this.warnings.length = 0;
		this.seq = 0;
	}

	requestStarted(): void {
		this.requests += 1;
		this.inFlight += 1;
		if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
	}

	requestEnded(): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
	}

	private counter(key: string): ActionCounter {
		let c = this.byAction.get(key);
		if (!c) {
			c = { calls: 0, errors: 0, inFlight: 0, peakInFlight: 0 };
			this.byAction.set(key, c);
		}
		return c;
	}

	callStarted(service: string, action: string): number {
		this.calls += 1;
		const c = this.counter(`${service}.${action}`);
		c.calls += 1;
		c.inFlight += 1;
		if (c.inFlight > c.peakInFlight) c.peakInFlight = c.inFlight;
		return Date.now();
	}

	callEnded(rec: Omit<CallRecord, 'seq' | 'durationMs' | 'params'> & { params: Record<string, unknown> }): void {
		const c = this.counter(`${rec.service}.${rec.action}`);
		c.inFlight = Math.max(0, c.inFlight - 1);
		if (rec.errorCode) c.errors += 1;
		const params: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(rec.params)) if (!HIDDEN.has(k) && !/^\d+$/.test(k)) params[k] = v;
		this.log.push({ ...rec, params, seq: ++this.seq, durationMs: Date.now() - rec.startedAt });
	}

	/** Calls to a service (wire id or short name) and optionally an action. */
	callsTo(service: string, action?: string): CallRecord[] {
		return this.log.filter((r) => serviceMatches(service, r.service) && (!action || normalizeAction(action) === r.action));
	}

	count(service: string, action?: string): number {
		return this.callsTo(service, action).length;
	}

	/** Peak concurrent executions of one service action. */
	peakInFlightOf(service: string, action: string): number {
		let peak = 0;
		for (const [key, c] of this.byAction) {
			const [s, a] = key.split('.') as [string, string];
			if (serviceMatches(service, s) && normalizeAction(action) === a) peak = Math.max(peak, c.peakInFlight);
		}
		return peak;
	}
}
