/**
 * A failed Kaltura call, in words a Discord member or an API client can be shown. Kaltura's own
 * message is never passed on: some of its errors quote the KS that was sent (`INVALID_KS`), and its
 * wording is written for developers.
 */
export class KalturaError extends Error {
	public constructor(
		/** Kaltura's error code (`ENTRY_ID_NOT_FOUND`), or a transport code of ours (`TIMEOUT`, `UNREACHABLE`, `BAD_RESPONSE`). */
		public readonly code: string,
		/** A plain sentence, safe to show to anyone. */
		public readonly userMessage: string,
		/** Whether trying again later may work (timeouts, outages, rate limits). */
		public readonly transient: boolean,
		/**
		 * For `INVALID_KS`: why Kaltura refused the session (`EXPIRED`, `LOGOUT`, `EXCEEDED_ACTIONS_LIMIT`, ...), one of
		 * {@link INVALID_KS_REASONS}; never the KS itself, which Kaltura puts in the same place when it cannot read it.
		 */
		public readonly reason?: InvalidKsReason
	) {
		super(`Kaltura call failed (${code}): ${userMessage}`);
		this.name = 'KalturaError';
	}
}

/** The sentence for a refused KS (other than one whose actions limit is used up). */
const INVALID_KS_MESSAGE = 'The bot’s Kaltura session was refused. Please try again.';

/** The sentence for Kaltura's rate limits, whichever way they arrive. */
export const KALTURA_BUSY_MESSAGE = 'Kaltura is busy right now; please try again in a minute.';

/**
 * The reasons Kaltura gives for refusing a KS (kaltura/server alpha/apps/kaltura/lib/webservices/kSessionUtils.class.php,
 * `ks::getErrorStr`). kPermissionManager::initialize throws them as kCoreException INVALID_KS, and
 * KalturaFrontController::getExceptionObject turns that into `INVALID_KS` with the reason as its first argument,
 * `KSID`: `Invalid KS "EXCEEDED_ACTIONS_LIMIT", Error "-1,INVALID_STR"`. When the KS cannot be read at all,
 * kCurrentContext::initKsPartnerUser puts the KS string there instead, so only these words are taken as a reason.
 */
export const INVALID_KS_REASONS = [
	'INVALID_STR',
	'INVALID_PARTNER',
	'INVALID_USER',
	'INVALID_TYPE',
	'EXPIRED',
	'LOGOUT',
	'LKS_DISABLED',
	'EXCEEDED_ACTIONS_LIMIT',
	'EXCEEDED_RESTRICTED_IP',
	'EXCEEDED_RESTRICTED_URI'
] as const;
export type InvalidKsReason = (typeof INVALID_KS_REASONS)[number];

/**
 * Kaltura's own codes, with what members are told. Two are rate limits:
 * - `ACTION_BLOCKED`: the API's rate limit (kaltura/server api_v3/lib/KalturaDispatcher.php `dispatch`, when
 *   KalturaResponseCacher::rateLimit finds the partner over a configured `api_rate_limit` rule for that
 *   service and action). KalturaFacade retries it before this sentence is shown.
 * - `EXCEEDED_ACTIONS_LIMIT` is no code of its own: it only arrives as the reason of an `INVALID_KS` (a KS
 *   with an `actionslimit` privilege used up), read by {@link invalidKsReason}.
 */
const API_ERRORS: Readonly<Record<string, { message: string; transient?: boolean }>> = {
	INVALID_KS: { message: INVALID_KS_MESSAGE, transient: true },
	MISSING_KS: { message: 'The bot could not sign in to Kaltura.' },
	SERVICE_FORBIDDEN: { message: 'The bot is not allowed to do that on this Kaltura account.' },
	START_SESSION_ERROR: { message: 'The bot could not sign in to Kaltura: check its partner id and secret.' },
	INVALID_PARTNER_ID: { message: 'The Kaltura partner id the bot is configured with does not exist.' },
	INVALID_WIDGET_ID: { message: 'The bot could not sign in to Kaltura: check its partner id.' },
	APP_TOKEN_ID_NOT_FOUND: { message: 'The bot could not sign in to Kaltura: its app token does not exist (check the app token id).' },
	APP_TOKEN_NOT_ACTIVE: { message: 'The bot could not sign in to Kaltura: its app token is disabled.' },
	INVALID_APP_TOKEN_HASH: { message: 'The bot could not sign in to Kaltura: its app token was refused (check the token and its hash type).' },
	APP_TOKEN_EXPIRED: { message: 'The bot could not sign in to Kaltura: its app token has expired.' },
	SERVICE_ACCESS_CONTROL_RESTRICTED: { message: 'This Kaltura account does not allow that action.' },
	FEATURE_FORBIDDEN: { message: 'This Kaltura account does not have that feature enabled.' },
	ENTRY_ID_NOT_FOUND: { message: 'That video does not exist on Kaltura (any more).' },
	INVALID_ENTRY_ID: { message: 'That is not a valid Kaltura video id.' },
	USER_NOT_FOUND: { message: 'That user does not exist on Kaltura.' },
	INVALID_USER_ID: { message: 'That is not a valid Kaltura user id.' },
	CATEGORY_NOT_FOUND: { message: 'That Kaltura category does not exist.' },
	ACTION_BLOCKED: { message: KALTURA_BUSY_MESSAGE, transient: true },
	INTERNAL_SERVERL_ERROR: { message: 'Kaltura had an internal error; please try again later.', transient: true },
	INTERNAL_SERVER_ERROR: { message: 'Kaltura had an internal error; please try again later.', transient: true }
};

/** A property of whatever kaltura-client handed over (an object of any shape, or none), without assuming a shape. */
export function propertyOf(value: unknown, key: string): unknown {
	return typeof value === 'object' && value !== null && key in value ? Reflect.get(value, key) : undefined;
}

/** Kaltura's codes: upper-case identifiers, the longest 73 characters (kaltura/server api_v3/lib/KalturaErrors.php). */
const KALTURA_ERROR_CODE = /^[A-Z][A-Z0-9_]{0,99}$/;

/** Turns whatever kaltura-client rejected with (an API exception object or an axios error) into a {@link KalturaError}. */
export function toKalturaError(error: unknown): KalturaError {
	if (error instanceof KalturaError) return error;
	const code = propertyOf(error, 'code');
	if (propertyOf(error, 'isAxiosError') === true) {
		if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
			return new KalturaError('TIMEOUT', 'Kaltura did not answer in time. Please try again in a moment.', true);
		}
		const status = propertyOf(propertyOf(error, 'response'), 'status');
		if (typeof status === 'number')
			return new KalturaError('BAD_RESPONSE', `Kaltura answered with an error (HTTP ${status}). Please try again later.`, status >= 500);
		return new KalturaError('UNREACHABLE', 'Kaltura cannot be reached right now. Please try again later.', true);
	}
	// An API exception: `{ code, message, objectType, args }`. Kaltura's codes are upper-case identifiers
	// (`ENTRY_ID_NOT_FOUND`; KalturaAPIException in kaltura/server); anything else is not Kaltura speaking, and
	// would otherwise be quoted to members ("Kaltura refused the request (…)").
	if (typeof code === 'string' && KALTURA_ERROR_CODE.test(code) && propertyOf(error, 'message') !== undefined) {
		if (code === 'INVALID_KS') return invalidKsError(invalidKsReason(propertyOf(error, 'args')));
		const known = API_ERRORS[code];
		return new KalturaError(code, known?.message ?? `Kaltura refused the request (${code}).`, known?.transient ?? false);
	}
	return new KalturaError('BAD_RESPONSE', 'Kaltura gave an answer the bot did not understand.', false);
}

/**
 * The reason of an `INVALID_KS`, from the exception's `args` as kaltura-client rejects with them
 * (`{ KSID, ERR_CODE, ERR_DESC }`); undefined when `KSID` holds anything else, such as the KS itself.
 */
export function invalidKsReason(args: unknown): InvalidKsReason | undefined {
	const ksid = propertyOf(args, 'KSID');
	return INVALID_KS_REASONS.find((reason) => reason === ksid);
}

function invalidKsError(reason: InvalidKsReason | undefined): KalturaError {
	// An actions limit is per KS: a new session may go on; if Kaltura hands out only used-up ones, it is busy.
	if (reason === 'EXCEEDED_ACTIONS_LIMIT') return new KalturaError('INVALID_KS', KALTURA_BUSY_MESSAGE, true, reason);
	return new KalturaError('INVALID_KS', INVALID_KS_MESSAGE, true, reason);
}
