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
	z.preprocess((value) => (value === '' ? undefined : value), z.string({ error: (issue) => (issue.input === undefined ? `is required (${what})` : 'must be a string') }));

const url = (protocols: readonly string[]) =>
	z.url({ error: `must be a URL (${protocols.join(', ')})` }).refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
		error: `must use one of the protocols ${protocols.join(', ')}`
	});

export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const environmentSchema = z.object({
	NODE_ENV: withDefault(z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }), 'development'),
	DISCORD_TOKEN: required('the bot token from the Discord developer portal'),
	DISCORD_API_URL: withDefault(url(['http:', 'https:']), 'https://discord.com/api'),
	KALTURA_PARTNER_ID: required('your Kaltura partner id').pipe(
		z.string().regex(/^[1-9]\d{0,11}$/, { error: 'must be a positive whole number' }).transform(Number)
	),
	KALTURA_ADMIN_SECRET: required('the partner admin secret from the KMC integration settings').pipe(
		z.string().min(8, { error: 'is too short to be a Kaltura admin secret' })
	),
	KALTURA_SERVICE_URL: withDefault(url(['http:', 'https:']), 'https://www.kaltura.com'),
	KALTURA_USER_ID_PREFIX: z.preprocess(
		(value) => (value === undefined ? 'discord_' : value),
		z.string().regex(/^[A-Za-z0-9_.@+-]{0,40}$/, { error: 'may only contain letters, digits and . _ @ + - (Kaltura user ids allow no ":")' })
	),
	KALTURA_SESSION_SOURCE: withDefault(z.enum(['local', 'session-start'], { error: 'must be local or session-start' }), 'local'),
	KALTURA_TIMEOUT_MS: withDefault(
		z.coerce.number({ error: 'must be a number of milliseconds' }).int({ error: 'must be a whole number' }).min(100, { error: 'must be at least 100' }).max(120_000, {
			error: 'must be at most 120000'
		}),
		'10000'
	),
	JWT_SECRET: required('at least 32 bytes of random data that signs API tokens').pipe(
		z.string().refine((value) => Buffer.byteLength(value, 'utf8') >= 32, { error: 'must be at least 32 bytes long' })
	),
	REDIS_URL: optional(url(['redis:', 'rediss:'])),
	MONGODB_URL: optional(url(['mongodb:', 'mongodb+srv:'])),
	API_HOST: withDefault(z.string().min(1), '127.0.0.1'),
	API_PORT: withDefault(
		z.coerce.number({ error: 'must be a port number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must be between 0 and 65535' }).max(65535, {
			error: 'must be between 0 and 65535'
		}),
		'4000'
	),
	LOG_LEVEL: withDefault(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }), 'info'),
	DATA_DIR: withDefault(z.string().min(1), './data')
});

export type Environment = z.output<typeof environmentSchema>;

/** The variables whose values are secrets: the logger and every reply redact them. */
export const SECRET_VARIABLES = ['DISCORD_TOKEN', 'KALTURA_ADMIN_SECRET', 'JWT_SECRET'] as const satisfies readonly (keyof Environment)[];

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
	if (result.success) return result.data;

	const problems = new Map<string, string>();
	for (const issue of result.error.issues) {
		const variable = String(issue.path[0] ?? 'environment');
		if (!problems.has(variable)) problems.set(variable, issue.message);
	}
	throw new EnvironmentError([...problems].map(([variable, problem]) => ({ variable, problem })));
}
