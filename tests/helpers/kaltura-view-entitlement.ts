import { apiError } from '../harness/kaltura/errors.js';
import { SERVICES, type ActionDef, type CallContext } from '../harness/kaltura/services/index.js';

/** The entry reads a view entitlement applies to: what a member's session may ask of one entry. */
const ENTRY_READS = [
	['media', 'get'],
	['baseentry', 'get']
] as const;

/**
 * Entitlements on reading one entry, which the Kaltura stand-in does not model: with entitlement enforced (the session
 * carries `enableentitlement`, kaltura/server kSessionBase PRIVILEGE_ENABLE_ENTITLEMENT), a USER session sees an
 * entry it owns, or one whose `entitledUsersView` names its user, or one that names no one there (read here as open
 * to all). Any other entry is not found for that session, as Kaltura answers when its entitlement filter leaves the
 * entry out (ENTRY_ID_NOT_FOUND). A simplification of kEntitlementUtils (Kaltura also grants through category
 * membership and privacy contexts), enough to tell one member's session from another's. ADMIN sessions and sessions
 * without `enableentitlement` see everything, as on a partner that does not enforce entitlements by default.
 * Answers the function that takes it away again.
 */
export function enforceViewEntitlements(): () => void {
	const originals = ENTRY_READS.map(([service, action]) => {
		const definitions = SERVICES[service];
		const original = definitions?.[action];
		if (definitions === undefined || original === undefined) throw new Error(`The Kaltura stand-in has no ${service}.${action}`);
		const entitled: ActionDef = {
			...original,
			handler(params, context) {
				const answer = original.handler(params, context);
				if (!mayView(context, answer)) throw apiError('ENTRY_ID_NOT_FOUND', String(params.entryId));
				return answer;
			}
		};
		definitions[action] = entitled;
		return () => (definitions[action] = original);
	});
	return () => originals.forEach((restore) => restore());
}

function mayView(context: CallContext, answer: unknown): boolean {
	const ks = context.ks;
	if (ks === undefined || ks.type === 2 || ks.privileges.enableentitlement === undefined) return true;
	const entry = answer as { userId?: unknown; entitledUsersView?: unknown };
	const viewers = String(entry.entitledUsersView ?? '')
		.split(',')
		.map((id) => id.trim().toLowerCase())
		.filter((id) => id !== '');
	const user = ks.userId.toLowerCase();
	return viewers.length === 0 || viewers.includes(user) || String(entry.userId ?? '').toLowerCase() === user;
}
