import type { KalturaSessionSource } from '../../src/core/env.js';
import type { KalturaError } from '../../src/core/kaltura/kaltura-error.js';

/** What a fix may name: where the partner's Kaltura is and how the bot signs in to it. */
export interface KalturaFixContext {
	readonly partnerId: number;
	readonly serviceUrl: string;
	readonly timeoutMs: number;
	readonly source: KalturaSessionSource;
}

/** Which kind of call failed: the same code means different things on a session and on the schedule services. */
export type KalturaCallKind = 'session' | 'members-session' | 'media' | 'category' | 'schedule' | 'templates' | 'cleanup';

const WHERE_ADMIN_SECRET = 'KMC > Settings > Integration Settings';

/** Failures of the network or of whatever answers at KALTURA_SERVICE_URL, whichever call met them. */
function transportFix(error: KalturaError, context: KalturaFixContext): string | undefined {
	switch (error.code) {
		case 'UNREACHABLE':
			return `Kaltura cannot be reached at ${context.serviceUrl}: check KALTURA_SERVICE_URL (for Kaltura SaaS https://www.kaltura.com) and that this machine may reach it (DNS, proxy, firewall).`;
		case 'TIMEOUT':
			return `Kaltura did not answer within KALTURA_TIMEOUT_MS (${context.timeoutMs} ms): check the network to ${context.serviceUrl}, or raise KALTURA_TIMEOUT_MS, and run the check again.`;
		case 'BAD_RESPONSE':
			return `${context.serviceUrl} did not answer as Kaltura's API does (${error.userMessage}): KALTURA_SERVICE_URL must be the API host (https://www.kaltura.com for Kaltura SaaS), not a KMC or MediaSpace address; if it is, run the check again later.`;
		case 'ACTION_BLOCKED':
			return 'Kaltura is limiting this partner’s requests right now: run the check again in a few minutes.';
		case 'INTERNAL_SERVERL_ERROR':
		case 'INTERNAL_SERVER_ERROR':
			return `Kaltura had an internal error: run the check again later; if it persists, tell Kaltura support the time of the run and partner ${context.partnerId}.`;
		default:
			return undefined;
	}
}

/** Failures that say the bot's credentials are wrong: the same whichever call first met them. */
function credentialsFix(error: KalturaError, context: KalturaFixContext, members: boolean): string | undefined {
	const prefix = members ? 'KALTURA_MEMBER_APP_TOKEN' : 'KALTURA_APP_TOKEN';
	switch (error.code) {
		case 'INVALID_PARTNER_ID':
		case 'INVALID_WIDGET_ID':
			return `Partner ${context.partnerId} does not exist on ${context.serviceUrl}: check KALTURA_PARTNER_ID (and KALTURA_SERVICE_URL for a Kaltura of your own).`;
		case 'START_SESSION_ERROR':
			return `Kaltura refused session.start: check KALTURA_PARTNER_ID (${context.partnerId}) and that KALTURA_ADMIN_SECRET is that partner’s admin secret (${WHERE_ADMIN_SECRET}), not its user secret.`;
		case 'APP_TOKEN_ID_NOT_FOUND':
			return `Partner ${context.partnerId} has no app token ${prefix}_ID: check the id (appToken.list) or create the token again (docs/kaltura-sessions.md).`;
		case 'APP_TOKEN_NOT_ACTIVE':
			return `The app token ${prefix}_ID is disabled or deleted: enable it again (appToken.update with status ACTIVE) or create a new one (docs/kaltura-sessions.md).`;
		case 'INVALID_APP_TOKEN_HASH':
			return `Kaltura refused the app token: check that ${prefix} is the token’s value and ${prefix}_HASH_TYPE the hash type it was created with.`;
		case 'APP_TOKEN_EXPIRED':
			return `The app token ${prefix}_ID has expired: create a new one (docs/kaltura-sessions.md) and put its id and value in ${prefix}_ID and ${prefix}.`;
		case 'APP_TOKEN_PRIVILEGES':
		case 'APP_TOKEN_SESSION_TYPE':
		case 'APP_TOKEN_SESSION_USER':
			// These are the bot's own checks of what the token grants; their sentence names the fix.
			return `${error.userMessage} See docs/kaltura-sessions.md.`;
		case 'INVALID_KS':
		case 'MISSING_KS':
			return sessionRefusedFix(error, context, members);
		default:
			return undefined;
	}
}

/**
 * Kaltura refused a session the configured source handed out. Kaltura says why in the error (`INVALID_KS` with a
 * reason, kaltura/server kSessionUtils.class.php ks::getErrorStr), which toKalturaError keeps as `reason`.
 */
function sessionRefusedFix(error: KalturaError, context: KalturaFixContext, members: boolean): string {
	const reason = (error as { reason?: unknown }).reason;
	switch (reason) {
		case 'EXPIRED':
			return 'Kaltura found the session already expired when it was new: this machine’s clock is probably wrong; set it right (NTP, `timedatectl`) and run the check again.';
		case 'INVALID_PARTNER':
			return `Kaltura knows no partner ${context.partnerId} for this session: check KALTURA_PARTNER_ID (and KALTURA_SERVICE_URL for a Kaltura of your own).`;
		case 'EXCEEDED_RESTRICTED_URI':
			return `Kaltura refused the session for the address it was sent to: the bot limits each session to the API paths under KALTURA_SERVICE_URL (${context.serviceUrl}); if a proxy there rewrites paths, point KALTURA_SERVICE_URL at the Kaltura API itself.`;
		case 'EXCEEDED_ACTIONS_LIMIT':
			return 'Kaltura is limiting this partner’s requests right now: run the check again in a few minutes.';
		case 'LOGOUT':
			return 'Kaltura says the session was ended (session.end, or its app token was deleted): if the app token was deleted, create a new one (docs/kaltura-sessions.md); otherwise run the check again.';
		default:
			break;
	}
	if (context.source === 'app-token') {
		const prefix = members ? 'KALTURA_MEMBER_APP_TOKEN' : 'KALTURA_APP_TOKEN';
		return `Kaltura refused the session its app token opened: check KALTURA_PARTNER_ID (${context.partnerId}) and ${prefix}_ID, and that the token is not deleted.`;
	}
	return `Kaltura refused a session signed with KALTURA_ADMIN_SECRET: check KALTURA_PARTNER_ID (${context.partnerId}) and that KALTURA_ADMIN_SECRET is that partner’s admin secret (${WHERE_ADMIN_SECRET}); a secret that was regenerated must be copied again.`;
}

/** Refusals that depend on what was called: a feature the partner lacks, or a right the session's role lacks. */
function refusalFix(error: KalturaError, kind: KalturaCallKind, context: KalturaFixContext): string | undefined {
	if (error.code !== 'SERVICE_FORBIDDEN' && error.code !== 'FEATURE_FORBIDDEN' && error.code !== 'SERVICE_ACCESS_CONTROL_RESTRICTED')
		return undefined;
	const role =
		context.source === 'app-token' ? ' If the bot’s app token sets a role (setrole in its sessionPrivileges), that role must allow it too.' : '';
	switch (kind) {
		case 'schedule':
			return `Kaltura refused the schedule services: the meetings (Schedule) feature is off on partner ${context.partnerId}. Ask your Kaltura account manager to enable Kaltura Meetings / scheduling for it; the meetings plugin needs it.${role}`;
		case 'templates':
			return `Kaltura refused eventNotificationTemplate.list: the event notifications feature is off on partner ${context.partnerId}. Ask Kaltura to enable HTTP event notifications for it; the notifications plugin gets no events without them.${role}`;
		case 'category':
			return `Kaltura refused the category actions on partner ${context.partnerId}.${role || ' Check that no access control profile restricts the API for this partner.'}`;
		case 'media':
			return `Kaltura refused media.list on partner ${context.partnerId}; the videos plugin needs it.${role || ' Check that no access control profile restricts the API for this partner.'}`;
		default:
			return `Kaltura refused the call on partner ${context.partnerId}.${role}`;
	}
}

/** The fix for a failed Kaltura call: specific where the code says what is wrong, else Kaltura's code and the bot's sentence for it. */
export function kalturaFix(error: KalturaError, kind: KalturaCallKind, context: KalturaFixContext): string {
	return (
		transportFix(error, context) ??
		credentialsFix(error, context, kind === 'members-session') ??
		refusalFix(error, kind, context) ??
		`${error.userMessage} (Kaltura answered ${error.code}.) Run the check again; if it fails the same way, look the code up in Kaltura’s API errors or ask Kaltura support.`
	);
}

/** What Kaltura answered, for the table's result column: the code and the bot's sentence for it, never Kaltura's own text (it may quote a KS). */
export function kalturaDetail(error: KalturaError): string {
	return `${error.code}: ${error.userMessage}`;
}
