import { ConnectionString } from 'mongodb-connection-string-url';
import { z } from 'zod';

/**
 * The process environment, parsed once at start-up. Every variable the bot reads is declared here,
 * so a missing or malformed one is reported before anything connects anywhere.
 */

/** Empty strings count as unset: `.env` files and container runtimes often export `NAME=`. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
	z.preprocess((value) => (value === '' || value === undefined ? fallback : value), schema);

const required = (what: string) =>
	z.preprocess(
		(value) => (value === '' ? undefined : value),
		z.string({ error: (issue) => (issue.input === undefined ? `is required (${what})` : 'must be a string') })
	);

const url = (protocols: readonly string[]) =>
	z
		.url({ error: `must be a URL (${protocols.join(', ')})` })
		.refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
			error: `must use one of the protocols ${protocols.join(', ')}`
		});

/** The database a MongoDB connection string names (its path), or null when it is no such string or names none. */
export function mongoDatabaseOf(value: string): string | null {
	try {
		// The driver's own parser: WHATWG URL refuses the multi-host form (`mongodb://a:27017,b:27017/db`) replica sets use.
		const database = decodeURIComponent(new ConnectionString(value).pathname.replace(/^\//, ''));
		return database === '' ? null : database;
	} catch {
		return null;
	}
}

const mongoUrl = z.string().refine((value) => mongoDatabaseOf(value) !== null, {
	error: 'must be a MongoDB connection string (mongodb:// or mongodb+srv://) naming a database, e.g. mongodb://db:27017/kaltura'
});

function isValidRegExp(source: string): boolean {
	try {
		new RegExp(source, 'u');
		return true;
	} catch {
		return false;
	}
}

/** Gateway intents Discord grants only when enabled for the bot in its developer portal. */
export const PRIVILEGED_INTENTS = ['GuildMembers', 'GuildPresences', 'MessageContent'] as const;
export type PrivilegedIntent = (typeof PRIVILEGED_INTENTS)[number];

export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where the bot's Kaltura sessions come from; see docs/kaltura-sessions.md. */
export const KALTURA_SESSION_SOURCES = ['local', 'session-start', 'app-token'] as const;
export type KalturaSessionSource = (typeof KALTURA_SESSION_SOURCES)[number];

/** The hash an app token is created with (`KalturaAppTokenHashType`); the bot must use the same one. */
export const APP_TOKEN_HASH_TYPES = ['SHA1', 'SHA256', 'SHA512', 'MD5'] as const;
export type AppTokenHashType = (typeof APP_TOKEN_HASH_TYPES)[number];

const environmentSchema = z
	.object({
		NODE_ENV: withDefault(z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }), 'development'),
		DISCORD_TOKEN: required('the bot token from the Discord developer portal'),
		DISCORD_API_URL: withDefault(url(['http:', 'https:']), 'https://discord.com/api'),
		DISCORD_PRIVILEGED_INTENTS: z.preprocess(
			(value) =>
				typeof value === 'string'
					? value
							.split(',')
							.map((item) => item.trim())
							.filter(Boolean)
					: [],
			z.array(z.enum(PRIVILEGED_INTENTS, { error: `must list only ${PRIVILEGED_INTENTS.join(', ')}, separated by commas` }))
		),
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
		KALTURA_APP_TOKEN_ID: optional(z.string().regex(/^\d+_[A-Za-z0-9]+$/, { error: 'must be a Kaltura app token id such as 0_abcd1234' })),
		KALTURA_APP_TOKEN: optional(z.string().min(8, { error: 'is too short to be a Kaltura app token' })),
		KALTURA_APP_TOKEN_HASH_TYPE: withDefault(
			z.preprocess(
				(value) => (typeof value === 'string' ? value.toUpperCase() : value),
				z.enum(APP_TOKEN_HASH_TYPES, { error: 'must be SHA1, SHA256, SHA512 or MD5' })
			),
			'SHA1'
		),
		// A second app token, for the sessions handed to members (join links): required with app-token (cross-field rules below).
		KALTURA_MEMBER_APP_TOKEN_ID: optional(z.string().regex(/^\d+_[A-Za-z0-9]+$/, { error: 'must be a Kaltura app token id such as 0_abcd1234' })),
		KALTURA_MEMBER_APP_TOKEN: optional(z.string().min(8, { error: 'is too short to be a Kaltura app token' })),
		KALTURA_MEMBER_APP_TOKEN_HASH_TYPE: withDefault(
			z.preprocess(
				(value) => (typeof value === 'string' ? value.toUpperCase() : value),
				z.enum(APP_TOKEN_HASH_TYPES, { error: 'must be SHA1, SHA256, SHA512 or MD5' })
			),
			'SHA1'
		),
		KALTURA_TIMEOUT_MS: withDefault(
			z.coerce
				.number({ error: 'must be a number of milliseconds' })
				.int({ error: 'must be a whole number' })
				.min(100, { error: 'must be at least 100' })
				.max(120_000, {
					error: 'must be at most 120000'
				}),
			'10000'
		),
		JWT_SECRET: required('at least 32 bytes of random data that signs API tokens').pipe(
			z.string().refine((value) => Buffer.byteLength(value, 'utf8') >= 32, { error: 'must be at least 32 bytes long' })
		),
		/** The servers the bot serves; unset means every server that adds it. */
		ALLOWED_GUILD_IDS: optional(
			z.preprocess(
				(value) =>
					typeof value === 'string'
						? value
								.split(',')
								.map((item) => item.trim())
								.filter(Boolean)
						: value,
				z.array(z.string().regex(/^\d{17,20}$/, { error: 'must list Discord server ids (17 to 20 digits), separated by commas' })).min(1, {
					error: 'must list at least one Discord server id'
				})
			)
		),
		/**
		 * Kaltura user ids an admin may link a member to, as a regular expression matched against the whole id.
		 * Unset: none (members are always their derived `discord_<id>` user).
		 */
		KALTURA_LINKABLE_USER_PATTERN: optional(
			z.string().refine(isValidRegExp, { error: 'must be a regular expression, such as ^[a-z]+@example\\.edu$' })
		),
		/** The Kaltura roles a server's admin may map Discord roles to; `admin` only when listed. */
		KALTURA_MAPPABLE_ROLES: withDefault(
			z.preprocess(
				(value) =>
					typeof value === 'string'
						? value
								.split(',')
								.map((item) => item.trim())
								.filter(Boolean)
						: value,
				z
					.array(
						z
							.string()
							.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'must list Kaltura role names (letters, digits, . _ -), separated by commas' })
					)
					.min(1, {
						error: 'must list at least one Kaltura role'
					})
			),
			'viewer,moderator'
		),
		/**
		 * Hosts join and watch links may point at, comma-separated; `*.` allows any subdomain and `{partnerId}` is
		 * filled in. Links are always https with no user name or password.
		 */
		KALTURA_LINK_HOSTS: withDefault(
			z.preprocess(
				(value) =>
					typeof value === 'string'
						? value
								.split(',')
								.map((item) => item.trim().toLowerCase())
								.filter(Boolean)
						: value,
				z
					.array(
						z.string().regex(/^(\*\.)?([a-z0-9{}-]+\.)*[a-z0-9{}-]+$/, {
							error: 'must list host names such as {partnerId}.kaf.kaltura.com or *.example.edu'
						})
					)
					.min(1, {
						error: 'must list at least one host'
					})
			),
			'{partnerId}.kaf.kaltura.com,{partnerId}.mediaspace.kaltura.com'
		),
		/**
		 * The Kaltura categories a server's admin may have live streams put in (`meetings.liveCategoryId`); none by
		 * default. A category decides which category-limited notification subscriptions, and which MediaSpace
		 * channels, see the stream, so a server must not pick another's.
		 */
		KALTURA_LIVE_CATEGORY_IDS: withDefault(
			z.preprocess(
				(value) =>
					typeof value === 'string'
						? value
								.split(',')
								.map((item) => item.trim())
								.filter(Boolean)
						: value,
				z.array(z.string().regex(/^\d{1,15}$/, { error: 'must list Kaltura category ids (digits), separated by commas' }))
			),
			''
		),
		/** How long audit log entries are kept. */
		AUDIT_RETENTION_DAYS: withDefault(
			z.coerce
				.number({ error: 'must be a number of days' })
				.int({ error: 'must be a whole number' })
				.min(1, { error: 'must be at least 1' })
				.max(3650, {
					error: 'must be at most 3650'
				}),
			'365'
		),
		REDIS_URL: optional(url(['redis:', 'rediss:'])),
		MONGODB_URL: optional(mongoUrl),
		API_HOST: withDefault(z.string().min(1), '127.0.0.1'),
		API_PORT: withDefault(
			z.coerce
				.number({ error: 'must be a port number' })
				.int({ error: 'must be a whole number' })
				.min(0, { error: 'must be between 0 and 65535' })
				.max(65535, {
					error: 'must be between 0 and 65535'
				}),
			'4000'
		),
		LOG_LEVEL: withDefault(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }), 'info'),
		DATA_DIR: withDefault(z.string().min(1), './data'),
		/** npm packages that are plugins, loaded besides the folders of plugins/ (see docs/writing-a-plugin.md). */
		PLUGIN_PACKAGES: z.preprocess(
			(value) =>
				typeof value === 'string'
					? value
							.split(',')
							.map((item) => item.trim())
							.filter(Boolean)
					: [],
			z.array(
				z.string().regex(/^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/, {
					error: 'must list npm package names (such as kaltura-discord-hello or @acme/discord-plugin), separated by commas'
				})
			)
		),
		/** The directory whose node_modules holds PLUGIN_PACKAGES; the bot's own directory when unset. */
		PLUGIN_PACKAGES_DIR: optional(z.string().min(1)),
		/** The operator's secret for /api/v1/operator/*; unset, those routes do not exist (404). */
		OPERATOR_API_TOKEN: optional(
			z
				.string()
				.refine((value) => Buffer.byteLength(value, 'utf8') >= 32, { error: 'must be at least 32 bytes long (random, like JWT_SECRET)' })
		)
	})
	.superRefine(
		(environment, context) => {
			const missing = (variable: string, problem: string) => context.addIssue({ code: 'custom', path: [variable], message: problem });
			// An invalid source is reported on its own; which credentials it needs is unknown then.
			const source: unknown = environment.KALTURA_SESSION_SOURCE;
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
					missing(
						'KALTURA_MEMBER_APP_TOKEN',
						'is required with KALTURA_SESSION_SOURCE=app-token (the token value of the members’ app token)'
					);
			} else if ((source === 'local' || source === 'session-start') && environment.KALTURA_ADMIN_SECRET === undefined) {
				missing(
					'KALTURA_ADMIN_SECRET',
					'is required (the partner admin secret from the KMC integration settings) unless KALTURA_SESSION_SOURCE is app-token'
				);
			}
		},
		// Run even when other variables failed, so the one error lists every problem at once.
		{ when: () => true }
	);

type ParsedEnvironment = z.output<typeof environmentSchema>;
type SessionVariables =
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

export type Environment = Omit<ParsedEnvironment, SessionVariables> & KalturaSessionEnvironment;

/** The variables whose values are secrets: the logger and every reply redact them. */
export const SECRET_VARIABLES = [
	'DISCORD_TOKEN',
	'KALTURA_ADMIN_SECRET',
	'KALTURA_APP_TOKEN',
	'KALTURA_MEMBER_APP_TOKEN',
	'JWT_SECRET',
	'OPERATOR_API_TOKEN'
] as const satisfies readonly (keyof Environment)[];

export interface EnvironmentProblem {
	readonly variable: string;
	readonly problem: string;
}

export class EnvironmentError extends Error {
	public constructor(public readonly problems: readonly EnvironmentProblem[]) {
		super(formatProblems(problems));
		this.name = 'EnvironmentError';
	}
}

function formatProblems(problems: readonly EnvironmentProblem[]): string {
	const lines = problems.map(({ variable, problem }) => `  - ${variable} ${problem}`);
	const noun = problems.length === 1 ? 'environment variable needs' : 'environment variables need';
	return [`${problems.length} ${noun} attention:`, ...lines, 'See README.md#configuration and .env.example.'].join('\n');
}

/**
 * Parses the environment. Throws one {@link EnvironmentError} listing every problem at once, so an
 * operator fixes them all in one pass instead of one restart per variable. Values never appear in the
 * message: a mistyped secret must not end up in a terminal scroll-back or a log collector.
 */
export function parseEnvironment(source: Readonly<Record<string, string | undefined>> = process.env): Environment {
	const result = environmentSchema.safeParse(source);
	if (result.success) return narrow(result.data);

	const problems = new Map<string, string>();
	for (const issue of result.error.issues) {
		const variable = String(issue.path[0] ?? 'environment');
		if (!problems.has(variable)) problems.set(variable, issue.message);
	}
	// In the order the variables are declared, cross-field problems included, as .env.example lists them.
	const order = Object.keys(environmentSchema.shape);
	const position = (variable: string) => (order.includes(variable) ? order.indexOf(variable) : order.length);
	const sorted = [...problems].sort(([a], [b]) => position(a) - position(b));
	throw new EnvironmentError(sorted.map(([variable, problem]) => ({ variable, problem })));
}

/** The parsed environment as its discriminated type; the schema's cross-field rules make the last branch unreachable. */
function narrow(parsed: ParsedEnvironment): Environment {
	const {
		KALTURA_SESSION_SOURCE: source,
		KALTURA_ADMIN_SECRET: adminSecret,
		KALTURA_APP_TOKEN_ID: appTokenId,
		KALTURA_APP_TOKEN: appToken
	} = parsed;
	const { KALTURA_MEMBER_APP_TOKEN_ID: memberTokenId, KALTURA_MEMBER_APP_TOKEN: memberToken } = parsed;
	if (source === 'app-token' && appTokenId !== undefined && appToken !== undefined && memberTokenId !== undefined && memberToken !== undefined) {
		return {
			...parsed,
			KALTURA_SESSION_SOURCE: source,
			KALTURA_APP_TOKEN_ID: appTokenId,
			KALTURA_APP_TOKEN: appToken,
			KALTURA_MEMBER_APP_TOKEN_ID: memberTokenId,
			KALTURA_MEMBER_APP_TOKEN: memberToken
		};
	}
	if (source !== 'app-token' && adminSecret !== undefined) return { ...parsed, KALTURA_SESSION_SOURCE: source, KALTURA_ADMIN_SECRET: adminSecret };
	throw new EnvironmentError([{ variable: 'KALTURA_SESSION_SOURCE', problem: 'is missing the credentials it needs' }]);
}
