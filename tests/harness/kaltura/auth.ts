/**
 * KS validation and action permissions, answering INVALID_KS / SERVICE_FORBIDDEN the way the server does:
 * kaltura/server alpha/apps/kaltura/lib/kPermissionManager.php (validates the KS through
 * kSessionUtils::validateKSessionNoTicket and throws kCoreException INVALID_KS with ks::getErrorStr's reason,
 * which api_v3/lib/KalturaFrontController.php getExceptionObject sends as INVALID_KS "<reason>", "-1,INVALID_STR");
 * an action the session's role does not permit is SERVICE_FORBIDDEN "service->action"
 * (api_v3/lib/KalturaBaseService.php initService). Roles come from deployment/permissions/service.*.ini.
 *
 * Access levels (the stand-in's model of Kaltura's permission items):
 *  - 'none'    no KS needed (session.start, session.startWidgetSession)
 *  - 'anyKs'   any valid KS, including a widget (anonymous) KS
 *  - 'user'    a USER (0) or ADMIN (2) KS; a widget KS only when the action is marked `widget`
 *  - 'admin'   an ADMIN KS only (a USER KS gets SERVICE_FORBIDDEN "service->action")
 * A `setrole:<role id or systemName>` privilege replaces the type-based rule with the role's list.
 */
import { apiError, invalidKs } from './errors.js';
import { KsParseError, parseKs, peekKsPartnerId, type ParsedKs } from './ks.js';
import type { KalturaState } from './state.js';

export type Access = 'none' | 'anyKs' | 'user' | 'admin';

/**
 * Kaltura's Admin Console partner (kaltura/server alpha/lib/model/Partner.php ADMIN_CONSOLE_PARTNER_ID = -2). Its
 * roles hold the `PARTNER_-2_GROUP_*_PERMISSION` items, so it may act on any partner by passing `partnerId`
 * (kPermissionManager::isPartnerAccessAllowed with partner group `*`), and it alone holds the
 * SYSTEM_ADMIN_EVENT_NOTIFICATION_* permissions (plugins/event_notification/config/permissions.ini).
 */
export const ADMIN_CONSOLE_PARTNER_ID = -2;

export function isWidgetKs(ks: ParsedKs): boolean {
	return ks.privileges.widget === '1';
}

/**
 * `urirestrict:<uri>|<uri>...`: the request URI must equal one, or start with one ending in `*`
 * (kaltura/server alpha/apps/kaltura/lib/request/kSessionBase.class.php isValidUriRestrict; the value's
 * `/` are the privilege delimiter, joined back before the comparison).
 */
function uriAllowed(restriction: string, requestUri: string): boolean {
	return restriction.split('|').some((uri) => requestUri === uri || (uri.endsWith('*') && requestUri.startsWith(uri.slice(0, -1))));
}

/**
 * Validate a KS string for a call, in the order kSessionBase::tryToValidateKS does: signature, expiry,
 * `urirestrict` against the request URI, then whether it was ended (LOGOUT) -- never for a widget KS,
 * "since anyone can create a widget session" -- then `actionslimit`.
 */
export function resolveKs(ksString: string, state: KalturaState, requestUri?: string): ParsedKs {
	const pid = peekKsPartnerId(ksString);
	const partner = pid === undefined ? undefined : state.partner(pid);
	if (!partner) throw invalidKs.badString(ksString);
	let parsed: ParsedKs;
	try {
		parsed = parseKs(ksString, partner.adminSecret);
	} catch (e) {
		if (e instanceof KsParseError) throw invalidKs.badString(ksString);
		throw e;
	}
	if (!(parsed.expiry > state.now())) throw invalidKs.reason('EXPIRED');
	const uriRestriction = parsed.privileges.urirestrict;
	if (uriRestriction !== undefined && requestUri !== undefined && !uriAllowed(uriRestriction, requestUri)) {
		throw invalidKs.reason('EXCEEDED_RESTRICTED_URI');
	}
	// the first of the privilege's `/`-separated values (kSessionBase::getSessionIdHash)
	const sessionId = parsed.privileges.sessionid?.split('/')[0];
	const widget = parsed.type === 0 && isWidgetKs(parsed);
	if (
		!widget &&
		(state.endedKs.has(ksString) || (sessionId !== undefined && sessionId !== '' && state.isSessionIdEnded(parsed.partnerId, sessionId)))
	) {
		throw invalidKs.reason('LOGOUT');
	}
	const limitRaw = parsed.privileges.actionslimit;
	if (limitRaw !== undefined && limitRaw !== '') {
		const limit = Number(limitRaw);
		if (Number.isFinite(limit) && limit >= 0) {
			const used = state.ksUsage.get(ksString) ?? 0;
			if (used >= limit) throw invalidKs.reason('EXCEEDED_ACTIONS_LIMIT');
			state.ksUsage.set(ksString, used + 1);
		}
	}
	return parsed;
}

function patternMatches(pattern: string, service: string, action: string): boolean {
	const [ps, pa] = pattern.toLowerCase().split('.');
	const short = service.includes('_') ? service.slice(service.indexOf('_') + 1) : service;
	const svcOk = ps === '*' || ps === service || ps === short;
	const actOk = pa === undefined || pa === '*' || pa === action;
	return svcOk && actOk;
}

export function checkAccess(
	access: Access,
	opts: { widget?: boolean },
	service: string,
	action: string,
	ks: ParsedKs | undefined,
	state: KalturaState
): void {
	const forbidden = () => apiError('SERVICE_FORBIDDEN', `${service}->${action}`);
	if (access === 'none') return;
	if (!ks) throw forbidden();
	const setrole = ks.privileges.setrole;
	if (setrole !== undefined && setrole !== '') {
		const role = state.roles.get(setrole);
		if (!role) throw apiError('UNKNOWN_ROLE_ID');
		if (role.permissions === 'ADMIN') return;
		if (!role.permissions.some((p) => patternMatches(p, service, action))) throw forbidden();
		return;
	}
	if (isWidgetKs(ks)) {
		if (access === 'anyKs' || opts.widget) return;
		throw forbidden();
	}
	if (access === 'admin' && ks.type !== 2) throw forbidden();
}
