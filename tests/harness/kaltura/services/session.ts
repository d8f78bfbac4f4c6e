/**
 * session: start, get, end, startWidgetSession, after kaltura/server api_v3/services/SessionService.php:
 * - start: kSessionUtils::startKSession with the admin secret (any type) or the user secret (USER only), expiry
 *   default 86400; a wrong secret or partner is START_SESSION_ERROR "PID";
 * - startWidgetSession: widget `_<partnerId>` → a USER KS of user 0 with `view:*,widget:1`, unknown widget
 *   INVALID_WIDGET_ID; no KS needed (deployment/permissions/service.session.ini: ALWAYS_ALLOWED_ACTIONS);
 * - end: see below.
 * session.get is answered for any session here; Kaltura gives it to SESSION_READ_PERMISSION and KMC roles
 * (service.session.ini). The bot does not call it.
 */
import { apiError, invalidKs } from '../errors.js';
import { buildKs, KsParseError, parseKs, peekKsPartnerId } from '../ks.js';
import { int, str, type Params } from '../params.js';
import type { CallContext, ServiceDef } from './types.js';

export const sessionService: ServiceDef = {
	start: {
		access: 'none',
		handler(p: Params, ctx: CallContext) {
			const secret = str(p, 'secret') ?? '';
			const userId = str(p, 'userId') ?? '';
			const type = int(p, 'type') ?? 0;
			const pid = int(p, 'partnerId');
			const partner = pid === undefined ? undefined : ctx.state.partner(pid);
			if (pid === undefined || !partner) throw apiError('START_SESSION_ERROR', pid ?? '');
			if (type !== 0 && type !== 2) throw apiError('INVALID_ENUM_VALUE', type, 'type', 'KalturaSessionType');
			// user secret only for USER sessions; admin secret for both (KalturaResponseCacher::matchParamSecret)
			const secretOk = secret === partner.adminSecret || (type === 0 && secret === partner.userSecret);
			if (!secretOk) throw apiError('START_SESSION_ERROR', pid);
			let expiry = int(p, 'expiry') ?? 86400;
			if (expiry <= 0) expiry = 86400;
			if (partner.maxKsExpiry && expiry > partner.maxKsExpiry) expiry = partner.maxKsExpiry;
			return buildKs({
				partnerId: pid,
				adminSecret: partner.adminSecret,
				userId,
				type,
				expiry,
				privileges: str(p, 'privileges') ?? '',
				now: ctx.state.now()
			});
		}
	},
	startwidgetsession: {
		access: 'none',
		handler(p: Params, ctx: CallContext) {
			const widgetId = str(p, 'widgetId') ?? '';
			const pid = /^_\d+$/.test(widgetId) ? Number(widgetId.slice(1)) : undefined;
			const partner = pid === undefined ? undefined : ctx.state.partner(pid);
			if (pid === undefined || !partner) throw apiError('INVALID_WIDGET_ID', widgetId);
			const expiry = int(p, 'expiry') ?? 86400;
			const ks = buildKs({
				partnerId: pid,
				adminSecret: partner.adminSecret,
				userId: '0',
				type: 0,
				expiry,
				privileges: 'view:*,widget:1',
				now: ctx.state.now()
			});
			return { partnerId: pid, ks, userId: 0, objectType: 'KalturaStartWidgetSessionResponse' };
		}
	},
	get: {
		access: 'none',
		handler(p: Params, ctx: CallContext) {
			const given = str(p, 'session');
			let info = ctx.ks;
			if (given !== undefined && given !== '') {
				const pid = peekKsPartnerId(given);
				const partner = pid === undefined ? undefined : ctx.state.partner(pid);
				if (!partner) throw invalidKs.badString(given);
				try {
					info = parseKs(given, partner.adminSecret);
				} catch (e) {
					if (e instanceof KsParseError) throw invalidKs.badString(given);
					throw e;
				}
			}
			if (!info) throw apiError('MISSING_KS');
			return {
				ks: info.raw,
				sessionType: info.type,
				partnerId: info.partnerId,
				userId: info.userId,
				expiry: info.expiry,
				privileges: info.privilegesString,
				objectType: 'KalturaSessionInfo'
			};
		}
	},
	/**
	 * Ends the KS it is called with (kaltura/server api_v3/services/SessionService.php endAction -> ks::kill ->
	 * alpha/lib/model/invalidSessionPeer.php invalidateKs): that KS is refused until it expires, and when it
	 * carries `sessionid:<id>`, every KS of the partner with that session id is refused for the next 24 hours.
	 * Any USER or widget session may call it (deployment/permissions/service.session.ini); later calls with a
	 * refused KS get INVALID_KS "LOGOUT".
	 */
	end: {
		access: 'anyKs',
		handler(_p: Params, ctx: CallContext) {
			if (!ctx.ks) return null; // @ksOptional: nothing to end
			ctx.state.endedKs.add(ctx.ks.raw);
			const sid = ctx.ks.privileges.sessionid?.split('/')[0];
			if (sid) ctx.state.endSessionId(ctx.ks.partnerId, sid, ctx.state.now() + 24 * 60 * 60);
			return null;
		}
	}
};
