/**
 * KalturaAPIException builders with the real codes, argument names and message templates
 * (kaltura/server alpha/apps/kaltura/lib/webservices/APIErrors.class.php, api_v3/lib/KalturaErrors.php and the
 * plugins' error classes, e.g. plugins/event_notification/lib/errors/KalturaEventNotificationErrors.php).
 *
 * Template format (as on the server): "CODE;ARG1,ARG2;message with @ARG1@", filled in by
 * APIErrors::getErrorData (api_v3/lib/exceptions/KalturaAPIException.php keeps `args` as ARG_NAME → value).
 * On the wire: { code, message, objectType: 'KalturaAPIException', args } where args maps each
 * placeholder to a STRING, or is an empty JSON array [] when the error has no parameters.
 */

export interface KalturaApiErrorBody {
	code: string;
	message: string;
	objectType: 'KalturaAPIException';
	args: Record<string, string> | [];
}

export const ERROR_TEMPLATES = {
	// general / session
	INTERNAL_SERVERL_ERROR: 'INTERNAL_SERVERL_ERROR;;Internal server error occurred',
	INTERNAL_DATABASE_ERROR: 'INTERNAL_DATABASE_ERROR;;Internal database error',
	MISSING_KS: 'MISSING_KS;;Missing KS, session not established',
	INVALID_KS: 'INVALID_KS;KSID,ERR_CODE,ERR_DESC;Invalid KS "@KSID@", Error "@ERR_CODE@,@ERR_DESC@"',
	START_SESSION_ERROR: 'START_SESSION_ERROR;PID;Error while starting session for partner [@PID@]',
	INVALID_WIDGET_ID: 'INVALID_WIDGET_ID;WIDGET_ID;Unknown widget [@WIDGET_ID@]',
	SERVICE_FORBIDDEN: 'SERVICE_FORBIDDEN;SERVICE;The access to service [@SERVICE@] is forbidden',
	SERVICE_NOT_SPECIFIED: 'SERVICE_NOT_SPECIFIED;;Service name was not specified, please specify one',
	ACTION_NOT_SPECIFIED: 'ACTION_NOT_SPECIFIED;;Action name was not specified, please specify one',
	SERVICE_DOES_NOT_EXISTS: 'SERVICE_DOES_NOT_EXISTS;SRV_NAME;Service "@SRV_NAME@" does not exists',
	ACTION_DOES_NOT_EXISTS: 'ACTION_DOES_NOT_EXISTS;ACTION_NAME,SERVICE_NAME;Action "@ACTION_NAME@" does not exists for service "@SERVICE_NAME@"',
	ACTION_BLOCKED: 'ACTION_BLOCKED;ACTION_NAME,SERVICE_NAME;Action "@ACTION_NAME@" in service "@SERVICE_NAME@" is blocked',
	MISSING_MANDATORY_PARAMETER: 'MISSING_MANDATORY_PARAMETER;PARAM_NAME;Missing parameter "@PARAM_NAME@"',
	INVALID_OBJECT_TYPE: 'INVALID_OBJECT_TYPE;INVALID_OBJ_TYPE;Invalid object type "@INVALID_OBJ_TYPE@"',
	OBJECT_TYPE_ABSTRACT: 'OBJECT_TYPE_ABSTRACT;OBJ_TYPE;The object type "@OBJ_TYPE@" is abstract, use one of the object implementations',
	INVALID_ENUM_VALUE:
		'INVALID_ENUM_VALUE;ENUM_VAL,PARAM_NAME,ENUM_TYPE;Invalid enumeration value "@ENUM_VAL@" for parameter "@PARAM_NAME@", expecting enumeration type "@ENUM_TYPE@"',
	INVALID_PARTNER_ID: 'INVALID_PARTNER_ID;PID;Invalid partner id "@PID@"',
	PARTNER_ACCESS_FORBIDDEN: 'PARTNER_ACCESS_FORBIDDEN;ACCESSING_PID,ACCESSED_PID;Partner [@ACCESSING_PID@] cannot access partner [@ACCESSED_PID@]',
	UNKNOWN_ROLE_ID: 'UNKNOWN_ROLE_ID;;Unknown role id',
	PROPERTY_VALIDATION_CANNOT_BE_NULL: 'PROPERTY_VALIDATION_CANNOT_BE_NULL;PROP_NAME;The property "@PROP_NAME@" cannot be null',
	PROPERTY_VALIDATION_MIN_LENGTH:
		'PROPERTY_VALIDATION_MIN_LENGTH;PROP_NAME,MIN_LEN;The property "@PROP_NAME@" must have a min length of @MIN_LEN@ characters',
	PROPERTY_VALIDATION_MAX_LENGTH:
		'PROPERTY_VALIDATION_MAX_LENGTH;PROP_NAME,MAX_LEN;The property "@PROP_NAME@" cannot have more than @MAX_LEN@ characters',
	PROPERTY_VALIDATION_NOT_UPDATABLE: 'PROPERTY_VALIDATION_NOT_UPDATABLE;PROP_NAME;The property "@PROP_NAME@" cannot be updated',
	INVALID_FIELD_VALUE: 'INVALID_FIELD_VALUE;FIELD_NAME;value in field [@FIELD_NAME@] is not valid',
	INVALID_OBJECT_ID: 'INVALID_OBJECT_ID;ID;Invalid object id [@ID@]',
	QUERY_EXCEEDED_MAX_MATCHES_ALLOWED: 'QUERY_EXCEEDED_MAX_MATCHES_ALLOWED;;Unable to generate list. max matches value was reached',
	SYSTEM_NAME_ALREADY_EXISTS: 'SYSTEM_NAME_ALREADY_EXISTS;SYS_NAME;System name [@SYS_NAME@] already exists',
	// entries
	ENTRY_ID_NOT_FOUND: 'ENTRY_ID_NOT_FOUND;ENTRY_ID;Entry id "@ENTRY_ID@" not found',
	INVALID_ENTRY_ID: 'INVALID_ENTRY_ID;ID;Invalid entry id ["@ID@"]',
	INVALID_ENTRY_TYPE:
		'INVALID_ENTRY_TYPE;ENTRY_NAME,WRONG_ENTRY_TYPE,RIGHT_ENTRY_TYPE;Entry "@ENTRY_NAME@" type is "@WRONG_ENTRY_TYPE@", type must be "@RIGHT_ENTRY_TYPE@"',
	PERMISSION_DENIED_TO_UPDATE_ENTRY:
		'PERMISSION_DENIED_TO_UPDATE_ENTRY;;User can update only the entries he own, otherwise an admin session must be used',
	ENTRY_NOT_READY: 'ENTRY_NOT_READY;ENTRY_NAME;Entry "@ENTRY_NAME@" is not ready',
	// users
	INVALID_USER_ID: 'INVALID_USER_ID;;Invalid user id',
	USER_NOT_FOUND: 'USER_NOT_FOUND;;User was not found',
	DUPLICATE_USER_BY_ID: 'DUPLICATE_USER_BY_ID;UID;User with id [@UID@] already exists in system',
	DUPLICATE_USER_BY_LOGIN_ID: 'DUPLICATE_USER_BY_LOGIN_ID;EMAIL;Loginable user with email [@EMAIL@] already exists in system',
	CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION:
		'CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION;USER_ID;cannot retrieve another user "@USER_ID@" using non-admin session',
	ONLY_ONE_ROLE_PER_USER_ALLOWED: 'ONLY_ONE_ROLE_PER_USER_ALLOWED;;User cannot have more than one role',
	ID_AND_EXTERNAL_ID_ARE_MUTUALLY_EXCLUSIVE: 'ID_AND_EXTERNAL_ID_ARE_MUTUALLY_EXCLUSIVE;;id and externalId are mutually exclusive',
	// categories
	CATEGORY_NOT_FOUND: 'CATEGORY_NOT_FOUND;ID;Category id "@ID@" not found',
	PARENT_CATEGORY_NOT_FOUND: 'PARENT_CATEGORY_NOT_FOUND;ID;Parent category id "@ID@" not found',
	DUPLICATE_CATEGORY: 'DUPLICATE_CATEGORY;CATEGORY;The category "@CATEGORY@" already exists',
	CATEGORY_ENTRY_ALREADY_EXISTS: 'CATEGORY_ENTRY_ALREADY_EXISTS;;Entry already assigned to this category',
	ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY: "ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY;;Entry doesn't assigned to category",
	// app tokens
	APP_TOKEN_ID_NOT_FOUND: 'APP_TOKEN_ID_NOT_FOUND;ID;Application token id "@ID@" not found',
	APP_TOKEN_NOT_ACTIVE: 'APP_TOKEN_NOT_ACTIVE;ID;Application token id "@ID@" not active',
	APP_TOKEN_EXPIRED: 'APP_TOKEN_EXPIRED;ID;Application token id "@ID@" expired',
	INVALID_APP_TOKEN_HASH: 'INVALID_APP_TOKEN_HASH;;Invalid application token hash',
	// schedule plugin
	SCHEDULE_EVENT_ID_NOT_FOUND: 'SCHEDULE_EVENT_ID_NOT_FOUND;ID;Schedule Event id [@ID@] not found',
	SCHEDULE_RESOURCE_ID_NOT_FOUND: 'SCHEDULE_RESOURCE_ID_NOT_FOUND;ID;Schedule Resource id [@ID@] not found',
	RESOURCE_PARENT_ID_NOT_FOUND: 'RESOURCE_PARENT_ID_NOT_FOUND;PARENT_ID;Resource parent id [@PARENT_ID@] not found',
	SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS:
		'SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS;EVENT_ID,RESOURCE_ID;Schedule event resource already exists with eventId[@EVENT_ID@] and resourceId (@RESOURCE_ID@)',
	INVALID_SCHEDULE_END_BEFORE_START: 'INVALID_SCHEDULE_END_BEFORE_START;START,END;End time [@END@] must be after start time [@START@]',
	// event notification plugin
	EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND: 'EVENT_NOTIFICATION_TEMPLATE_NOT_FOUND;ID;Event notification template id [@ID@] not found',
	EVENT_NOTIFICATION_WRONG_TYPE: 'EVENT_NOTIFICATION_WRONG_TYPE;ID,TYPE;Event notification template id [@ID@] is of type [@TYPE@]',
	EVENT_NOTIFICATION_DISPATCH_DISABLED: 'EVENT_NOTIFICATION_DISPATCH_DISABLED;ID;Dispatching event notification template id [@ID@] is not allowed',
	EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME:
		'EVENT_NOTIFICATION_TEMPLATE_DUPLICATE_SYSTEM_NAME;NAME;Event notification template with system name [@NAME@] already exists.',
	// virtual event plugin
	VIRTUAL_EVENT_NOT_FOUND: 'VIRTUAL_EVENT_NOT_FOUND;ID;Virtual event id [@ID@] not found'
} as const;

export type KnownErrorCode = keyof typeof ERROR_TEMPLATES;

/** Internal throwable carrying a wire error body. Handlers throw it; the server serialises `body`. */
export class KalturaApiError extends Error {
	readonly body: KalturaApiErrorBody;
	constructor(body: KalturaApiErrorBody) {
		super(`${body.code}: ${body.message}`);
		this.name = 'KalturaApiError';
		this.body = body;
	}
}

/** Build the wire body from a "CODE;ARGS;message" template and positional args (like APIErrors::getErrorData). */
export function errorFromTemplate(template: string, ...values: Array<string | number | null | undefined>): KalturaApiErrorBody {
	const first = template.indexOf(';');
	const second = template.indexOf(';', first + 1);
	const code = template.slice(0, first);
	const argNames = template.slice(first + 1, second);
	let message = template.slice(second + 1);
	const args: Record<string, string> = {};
	if (argNames !== '') {
		argNames.split(',').forEach((name, i) => {
			const v = values[i];
			// the server uses "N/A" when a caller passed too few arguments; strip_tags on values
			const str = v === undefined || v === null ? 'N/A' : String(v).replace(/<[^>]*>/g, '');
			args[name] = str;
			message = message.split(`@${name}@`).join(str);
		});
	}
	return { code, message, objectType: 'KalturaAPIException', args: Object.keys(args).length ? args : [] };
}

/** Throwable for a known code with positional args in template order. */
export function apiError(code: KnownErrorCode, ...values: Array<string | number | null | undefined>): KalturaApiError {
	return new KalturaApiError(errorFromTemplate(ERROR_TEMPLATES[code], ...values));
}

/**
 * Build an error body for any code (used by fault injection). Known codes get their real message
 * template; `args` may be given by name. Unknown codes get `message` or a generic one.
 */
export function errorBody(code: string, args?: Record<string, string | number>, message?: string): KalturaApiErrorBody {
	const template = (ERROR_TEMPLATES as Record<string, string>)[code];
	if (template) {
		const names = template.split(';')[1] ?? '';
		const ordered = names === '' ? [] : names.split(',').map((n) => (args && n in args ? String(args[n]) : undefined));
		const body = errorFromTemplate(template, ...ordered);
		if (message) body.message = message;
		return body;
	}
	const strArgs: Record<string, string> = {};
	for (const [k, v] of Object.entries(args ?? {})) strArgs[k] = String(v);
	return {
		code,
		message: message ?? code,
		objectType: 'KalturaAPIException',
		args: Object.keys(strArgs).length ? strArgs : []
	};
}

/** Shape check for a KalturaAPIException as kaltura-client rejects with it (a plain object, not an Error). */
export function isKalturaApiErrorBody(x: unknown): x is KalturaApiErrorBody {
	return (
		typeof x === 'object' &&
		x !== null &&
		(x as { objectType?: unknown }).objectType === 'KalturaAPIException' &&
		typeof (x as { code?: unknown }).code === 'string'
	);
}

/** INVALID_KS variants as the server produces them (kCoreException::INVALID_KS → data in KSID, "-1,INVALID_STR"). */
export const invalidKs = {
	/** unparseable / bad signature: KSID = the KS string */
	badString: (ks: string) => apiError('INVALID_KS', ks, '-1', 'INVALID_STR'),
	/** a reason string from ks::getErrorStr goes into KSID: EXPIRED, LOGOUT, EXCEEDED_ACTIONS_LIMIT, ... */
	reason: (
		reason:
			| 'EXPIRED'
			| 'LOGOUT'
			| 'EXCEEDED_ACTIONS_LIMIT'
			| 'INVALID_PARTNER'
			| 'INVALID_USER'
			| 'EXCEEDED_RESTRICTED_IP'
			| 'EXCEEDED_RESTRICTED_URI'
	) => apiError('INVALID_KS', reason, '-1', 'INVALID_STR'),
	/** wrong KS type for an entry operation (KalturaEntryService): KSID "", ERR -4 INVALID_TYPE */
	wrongType: () => apiError('INVALID_KS', '', '-4', 'INVALID_TYPE')
};
