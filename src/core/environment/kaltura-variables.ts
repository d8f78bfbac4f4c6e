import { z } from 'zod';
import { optional, required, url, withDefault, wholeNumber } from './schema-parts.js';

/** Where the bot's Kaltura sessions come from; see docs/kaltura-sessions.md. */
export const KALTURA_SESSION_SOURCES = ['local', 'session-start', 'app-token'] as const;
export type KalturaSessionSource = (typeof KALTURA_SESSION_SOURCES)[number];

/** The hash an app token is created with (`KalturaAppTokenHashType`); the bot must use the same one. */
export const APP_TOKEN_HASH_TYPES = ['SHA1', 'SHA256', 'SHA512', 'MD5'] as const;
export type AppTokenHashType = (typeof APP_TOKEN_HASH_TYPES)[number];

const appTokenId = () => optional(z.string().regex(/^\d+_[A-Za-z0-9]+$/, { error: 'must be a Kaltura app token id such as 0_abcd1234' }));
const appToken = () => optional(z.string().min(8, { error: 'is too short to be a Kaltura app token' }));
const appTokenHashType = () =>
	withDefault(
		z.preprocess(
			(value) => (typeof value === 'string' ? value.toUpperCase() : value),
			z.enum(APP_TOKEN_HASH_TYPES, { error: 'must be SHA1, SHA256, SHA512 or MD5' })
		),
		'SHA1'
	);

/** The Kaltura account, its session source and credentials, and how long a call may take. */
export const kalturaVariables = {
	KALTURA_PARTNER_ID: required('your Kaltura partner id').pipe(
		z
			.string()
			.regex(/^[1-9]\d{0,11}$/, { error: 'must be a positive whole number' })
			.transform(Number)
	),
	// Required unless KALTURA_SESSION_SOURCE is app-token: checked with the other cross-field rules below.
	KALTURA_ADMIN_SECRET: optional(z.string().min(8, { error: 'is too short to be a Kaltura admin secret' })),
	KALTURA_SERVICE_URL: withDefault(url(['http:', 'https:']), 'https://www.kaltura.com'),
	KALTURA_USER_ID_PREFIX: z.preprocess(
		(value) => (value === undefined ? 'discord_' : value),
		z.string().regex(/^[A-Za-z0-9_.@+-]{0,40}$/, { error: 'may only contain letters, digits and . _ @ + - (Kaltura user ids allow no ":")' })
	),
	KALTURA_SESSION_SOURCE: withDefault(z.enum(KALTURA_SESSION_SOURCES, { error: 'must be local, session-start or app-token' }), 'local'),
	// Required when KALTURA_SESSION_SOURCE is app-token (cross-field rules below).
	KALTURA_APP_TOKEN_ID: appTokenId(),
	KALTURA_APP_TOKEN: appToken(),
	KALTURA_APP_TOKEN_HASH_TYPE: appTokenHashType(),
	// A second app token, for the sessions handed to members (join links): required with app-token (cross-field rules below).
	KALTURA_MEMBER_APP_TOKEN_ID: appTokenId(),
	KALTURA_MEMBER_APP_TOKEN: appToken(),
	KALTURA_MEMBER_APP_TOKEN_HASH_TYPE: appTokenHashType(),
	KALTURA_TIMEOUT_MS: withDefault(wholeNumber('number of milliseconds', 100, 120_000), '10000')
};

/** The session variables as parsed, before the cross-field rules have been checked. */
interface ParsedSessionVariables {
	readonly KALTURA_SESSION_SOURCE: unknown;
	readonly KALTURA_ADMIN_SECRET?: string | undefined;
	readonly KALTURA_APP_TOKEN_ID?: string | undefined;
	readonly KALTURA_APP_TOKEN?: string | undefined;
	readonly KALTURA_MEMBER_APP_TOKEN_ID?: string | undefined;
	readonly KALTURA_MEMBER_APP_TOKEN?: string | undefined;
}

/** Adds an issue naming `variable`. */
export type ReportProblem = (variable: string, problem: string) => void;

/** The credentials each session source needs: checked across variables, after each was parsed on its own. */
export function checkSessionCredentials(environment: ParsedSessionVariables, missing: ReportProblem): void {
	// An invalid source is reported on its own; which credentials it needs is unknown then.
	const source = environment.KALTURA_SESSION_SOURCE;
	if (source === 'app-token') {
		if (environment.KALTURA_APP_TOKEN_ID === undefined)
			missing('KALTURA_APP_TOKEN_ID', 'is required with KALTURA_SESSION_SOURCE=app-token (the id of the app token made for the bot)');
		if (environment.KALTURA_APP_TOKEN === undefined)
			missing('KALTURA_APP_TOKEN', 'is required with KALTURA_SESSION_SOURCE=app-token (the token value of that app token)');
		// Every session of one app token shares `sessionid:<token id>`, and session.end with any of them ends them all:
		// a member given a session of the bot's own token could lock the bot out of Kaltura.
		if (environment.KALTURA_MEMBER_APP_TOKEN_ID === undefined) {
			missing(
				'KALTURA_MEMBER_APP_TOKEN_ID',
				'is required with KALTURA_SESSION_SOURCE=app-token (the id of a second app token, for members’ join links)'
			);
		} else if (environment.KALTURA_MEMBER_APP_TOKEN_ID === environment.KALTURA_APP_TOKEN_ID) {
			missing(
				'KALTURA_MEMBER_APP_TOKEN_ID',
				'must name another app token than KALTURA_APP_TOKEN_ID (members’ sessions must not come from the bot’s own token)'
			);
		}
		if (environment.KALTURA_MEMBER_APP_TOKEN === undefined)
			missing('KALTURA_MEMBER_APP_TOKEN', 'is required with KALTURA_SESSION_SOURCE=app-token (the token value of the members’ app token)');
	} else if ((source === 'local' || source === 'session-start') && environment.KALTURA_ADMIN_SECRET === undefined) {
		missing(
			'KALTURA_ADMIN_SECRET',
			'is required (the partner admin secret from the KMC integration settings) unless KALTURA_SESSION_SOURCE is app-token'
		);
	}
}

export type SessionVariables =
	| 'KALTURA_SESSION_SOURCE'
	| 'KALTURA_ADMIN_SECRET'
	| 'KALTURA_APP_TOKEN_ID'
	| 'KALTURA_APP_TOKEN'
	| 'KALTURA_MEMBER_APP_TOKEN_ID'
	| 'KALTURA_MEMBER_APP_TOKEN';

/**
 * The Kaltura credentials, by session source: `local` and `session-start` always have the admin secret,
 * `app-token` always has the token's id and value (and needs no admin secret). Narrow on
 * `KALTURA_SESSION_SOURCE` to reach them; there is no state with a source but without its credentials.
 */
export type KalturaSessionEnvironment =
	| {
			KALTURA_SESSION_SOURCE: 'local' | 'session-start';
			KALTURA_ADMIN_SECRET: string;
			KALTURA_APP_TOKEN_ID?: string | undefined;
			KALTURA_APP_TOKEN?: string | undefined;
			KALTURA_MEMBER_APP_TOKEN_ID?: string | undefined;
			KALTURA_MEMBER_APP_TOKEN?: string | undefined;
	  }
	| {
			KALTURA_SESSION_SOURCE: 'app-token';
			KALTURA_ADMIN_SECRET?: string | undefined;
			KALTURA_APP_TOKEN_ID: string;
			KALTURA_APP_TOKEN: string;
			/** A second token, never the bot's own: every KS handed to a member comes from it. */
			KALTURA_MEMBER_APP_TOKEN_ID: string;
			KALTURA_MEMBER_APP_TOKEN: string;
	  };
