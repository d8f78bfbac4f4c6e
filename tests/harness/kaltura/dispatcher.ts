/**
 * Executes one service action (or a multirequest) the way kaltura/server does it (read at c447fdb, "Venus-22.19.0"):
 * - one call: api_v3/lib/KalturaDispatcher.php `dispatch`: SERVICE_NOT_SPECIFIED, the service/action lookup
 *   (KalturaServicesMap: ACTION_DOES_NOT_EXISTS "action, service", both lower-cased), the KS
 *   (kCurrentContext::initKsPartnerUser → auth.ts resolveKs), the rate limit (ACTION_BLOCKED, injected with
 *   faults.actionBlocked), then the action's permission (KalturaBaseService::initService → SERVICE_FORBIDDEN,
 *   auth.ts checkAccess) and the action itself;
 * - a multirequest: api_v3/lib/KalturaFrontController.php `handleMultiRequest`: the sub-requests in order, each
 *   dispatched on its own with the request's common ks/partnerId, `{N:result:path}` tokens replaced from earlier
 *   results (replaceMultiRequestResults), an error in place of a failed sub-result without stopping the rest;
 * - errors: KalturaFrontController::getExceptionObject serialises a KalturaAPIException as the result, HTTP 200.
 * Results are serialised without null properties (serialize.ts, KalturaJsonSerializer).
 */
import { ADMIN_CONSOLE_PARTNER_ID, checkAccess, resolveKs } from './auth.js';
import { apiError, errorBody, KalturaApiError, type KalturaApiErrorBody } from './errors.js';
import type { FaultInjector } from './faults.js';
import type { ParsedKs } from './ks.js';
import { int, str, type Params } from './params.js';
import { toWire } from './serialize.js';
import { SERVICES, type CallContext } from './services/index.js';
import type { KalturaState } from './state.js';
import type { StandInStats } from './stats.js';

export interface DispatchEnv {
	state: KalturaState;
	faults: FaultInjector;
	stats: StandInStats;
	/** the request's path and query as the server received it (PHP REQUEST_URI), for `urirestrict` */
	requestUri?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function executeCall(env: DispatchEnv, serviceIn: string, actionIn: string, params: Params, multirequest: boolean): Promise<unknown> {
	const service = serviceIn.toLowerCase();
	const action = actionIn.toLowerCase();
	const startedAt = env.stats.callStarted(service, action);
	let ks: ParsedKs | undefined;
	let result: unknown;
	let errorCode: string | undefined;
	try {
		const latency = env.faults.takeCallLatency({ service, action });
		if (latency > 0) await sleep(latency);
		const injected = env.faults.takeCallError({ service, action });
		if (injected) {
			errorCode = injected.code;
			return (result = injected);
		}
		const def = SERVICES[service];
		if (!def) throw apiError('SERVICE_DOES_NOT_EXISTS', service);
		const actionDef = def[action];
		if (!actionDef) throw apiError('ACTION_DOES_NOT_EXISTS', action, service);

		const ksString = str(params, 'ks');
		if (ksString !== undefined && ksString !== '') ks = resolveKs(ksString, env.state, env.requestUri);
		const requestedPartner = int(params, 'partnerId');
		// A KS may act on another partner (`partnerId`) only where its partner group allows it
		// (kaltura/server alpha/apps/kaltura/lib/kPermissionManager.php isActionPermitted → isPartnerAccessAllowed);
		// the Admin Console's (-2) allows every partner. API v3 refuses the rest as a forbidden action: initService in
		// api_v3/lib/KalturaBaseService.php throws SERVICE_FORBIDDEN "service->action" (PARTNER_ACCESS_FORBIDDEN is API v2's).
		const impersonating = ks?.partnerId === ADMIN_CONSOLE_PARTNER_ID && requestedPartner !== undefined;
		if (ks && requestedPartner !== undefined && requestedPartner !== ks.partnerId && service !== 'session' && !impersonating) {
			throw apiError('SERVICE_FORBIDDEN', `${service}->${action}`);
		}
		checkAccess(actionDef.access, { widget: actionDef.widget ?? false }, service, action, ks, env.state);
		const ctx: CallContext = {
			state: env.state,
			partnerId: (impersonating ? requestedPartner : ks?.partnerId) ?? requestedPartner ?? env.state.mainPartnerId,
			ks,
			service,
			action,
			warnings: { push: (m: string) => env.stats.warnings.push(`${service}.${action}: ${m}`) }
		};
		result = toWire(await actionDef.handler(params, ctx));
		return result;
	} catch (e) {
		let body: KalturaApiErrorBody;
		if (e instanceof KalturaApiError) {
			body = e.body;
		} else {
			env.stats.warnings.push(`${service}.${action}: unexpected ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
			body = errorBody('INTERNAL_SERVERL_ERROR');
		}
		errorCode = body.code;
		result = body;
		return body;
	} finally {
		const rec: Parameters<StandInStats['callEnded']>[0] = { service, action, params, multirequest, startedAt };
		const ksRaw = str(params, 'ks');
		if (ksRaw) rec.ks = ksRaw;
		if (ks) {
			rec.ksUserId = ks.userId;
			rec.ksType = ks.type;
		}
		if (errorCode) rec.errorCode = errorCode;
		env.stats.callEnded(rec);
	}
}

const TOKEN = /\{(\d+):result((?::[^}:]+)*)\}/g;

function scalarToString(v: unknown): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'boolean') return v ? '1' : '';
	if (typeof v === 'object') return '';
	return String(v);
}

/** Resolve "{N:result:path:...}" against the results so far (N is 1-based, as on the server). */
export function resolveToken(results: unknown[], n: number, path: string[]): string {
	const root = results[n - 1];
	if (root && typeof root === 'object' && (root as { objectType?: unknown }).objectType === 'KalturaAPIException') return '';
	const walk = (value: unknown, segs: string[]): string => {
		if (segs.length === 0) return scalarToString(value);
		const [head, ...rest] = segs as [string, ...string[]];
		if (head === '_all') {
			if (!Array.isArray(value)) return '';
			return value.map((v) => walk(v, rest) + ',').join('');
		}
		if (value === null || value === undefined || typeof value !== 'object') return '';
		return walk((value as Record<string, unknown>)[head], rest);
	};
	return walk(root, path);
}

function replaceTokens(value: unknown, results: unknown[]): unknown {
	if (typeof value === 'string') {
		return value.replace(TOKEN, (_m, n: string, path: string) => resolveToken(results, Number(n), path ? path.slice(1).split(':') : []));
	}
	if (Array.isArray(value)) return value.map((v) => replaceTokens(v, results));
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) out[k] = replaceTokens(v, results);
		return out;
	}
	return value;
}

/** The sub-requests of a multirequest body, in execution order (keys "0","1",… or "1","2",…). */
export function subRequests(body: Params): Array<{ key: string; params: Params }> {
	const keys = Object.keys(body)
		.filter((k) => /^\d+$/.test(k))
		.map(Number)
		.sort((a, b) => a - b);
	const out: Array<{ key: string; params: Params }> = [];
	if (!keys.length) return out;
	for (let i = keys[0] as number; ; i++) {
		const sub = body[String(i)];
		if (!sub || typeof sub !== 'object') break;
		const p = sub as Params;
		if (!p.service || !p.action) break;
		out.push({ key: String(i), params: p });
	}
	return out;
}

export async function executeMultiRequest(env: DispatchEnv, body: Params): Promise<unknown[]> {
	const results: unknown[] = [];
	for (const { params } of subRequests(body)) {
		const merged: Params = { ...params };
		for (const common of ['ks', 'partnerId', 'clientTag', 'language']) {
			if ((merged[common] === undefined || merged[common] === null) && body[common] !== undefined) merged[common] = body[common];
		}
		const resolved = replaceTokens(merged, results) as Params;
		const service = String(resolved.service);
		const action = String(resolved.action);
		delete resolved.service;
		delete resolved.action;
		results.push(await executeCall(env, service, action, resolved, true));
	}
	return results;
}
