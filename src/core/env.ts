import { z } from 'zod';
import { checkSessionCredentials, kalturaVariables, type KalturaSessionEnvironment, type SessionVariables } from './environment/kaltura-variables.js';
import { operatorPolicyVariables } from './environment/policy-variables.js';
import { checkShardVariables, shardVariables } from './environment/shard-variables.js';
import { commaList, mongoUrl, optional, required, thirtyTwoBytes, url, wholeNumber, withDefault } from './environment/schema-parts.js';

/**
 * The process environment, parsed once at start-up. Every variable the bot reads is declared here,
 * so a missing or malformed one is reported before anything connects anywhere. The schema's pieces
 * live by area under `environment/`; their order here is the order problems are listed in.
 */

export { mongoDatabaseOf } from './environment/schema-parts.js';
export {
	APP_TOKEN_HASH_TYPES,
	KALTURA_SESSION_SOURCES,
	type AppTokenHashType,
	type KalturaSessionEnvironment,
	type KalturaSessionSource
} from './environment/kaltura-variables.js';

/** Gateway intents Discord grants only when enabled for the bot in its developer portal. */
export const PRIVILEGED_INTENTS = ['GuildMembers', 'GuildPresences', 'MessageContent'] as const;
export type PrivilegedIntent = (typeof PRIVILEGED_INTENTS)[number];

export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const environmentSchema = z
	.object({
		NODE_ENV: withDefault(z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }), 'development'),
		DISCORD_TOKEN: required('the bot token from the Discord developer portal'),
		DISCORD_API_URL: withDefault(url(['http:', 'https:']), 'https://discord.com/api'),
		DISCORD_PRIVILEGED_INTENTS: commaList(
			z.array(z.enum(PRIVILEGED_INTENTS, { error: `must list only ${PRIVILEGED_INTENTS.join(', ')}, separated by commas` })),
			{ otherwise: [] }
		),
		...kalturaVariables,
		JWT_SECRET: required('at least 32 bytes of random data that signs API tokens').pipe(thirtyTwoBytes('must be at least 32 bytes long')),
		/** The servers the bot serves; unset means every server that adds it. */
		ALLOWED_GUILD_IDS: optional(
			commaList(
				z
					.array(z.string().regex(/^\d{17,20}$/, { error: 'must list Discord server ids (17 to 20 digits), separated by commas' }))
					.min(1, { error: 'must list at least one Discord server id' })
			)
		),
		...operatorPolicyVariables,
		/** How long audit log entries are kept. */
		AUDIT_RETENTION_DAYS: withDefault(wholeNumber('number of days', 1, 3650), '365'),
		REDIS_URL: optional(url(['redis:', 'rediss:'])),
		...shardVariables,
		MONGODB_URL: optional(mongoUrl),
		API_HOST: withDefault(z.string().min(1), '127.0.0.1'),
		API_PORT: withDefault(wholeNumber('port number', 0, 65535, 'must be between 0 and 65535'), '4000'),
		LOG_LEVEL: withDefault(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }), 'info'),
		DATA_DIR: withDefault(z.string().min(1), './data'),
		/** npm packages that are plugins, loaded besides the folders of plugins/ (see docs/writing-a-plugin.md). */
		PLUGIN_PACKAGES: commaList(
			z.array(
				z.string().regex(/^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/, {
					error: 'must list npm package names (such as kaltura-discord-hello or @acme/discord-plugin), separated by commas'
				})
			),
			{ otherwise: [] }
		),
		/** The directory whose node_modules holds PLUGIN_PACKAGES; the bot's own directory when unset. */
		PLUGIN_PACKAGES_DIR: optional(z.string().min(1)),
		/** The operator's secret for /api/v1/operator/*; unset, those routes do not exist (404). */
		OPERATOR_API_TOKEN: optional(thirtyTwoBytes('must be at least 32 bytes long (random, like JWT_SECRET)'))
	})
	.superRefine(
		(environment, context) => {
			const problem = (variable: string, message: string) => context.addIssue({ code: 'custom', path: [variable], message });
			checkSessionCredentials(environment, problem);
			checkShardVariables(environment, problem);
		},
		// Run even when other variables failed, so the one error lists every problem at once.
		{ when: () => true }
	);

type ParsedEnvironment = z.output<typeof environmentSchema>;

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
