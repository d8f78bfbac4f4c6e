import { inspect } from 'node:util';
import { LogLevel as SapphireLogLevel, type ILogger } from '@sapphire/framework';
import winston from 'winston';
import type { LogLevel } from './env.js';
import { currentLogContext, LOG_CONTEXT_FIELDS, type LogContext } from './logging/log-context.js';
import type { SecretRedactor } from './redactor.js';

export type Logger = winston.Logger;

export interface LoggerOptions {
	readonly level: LogLevel;
	/** JSON lines for log collectors in production; coloured, readable lines otherwise. */
	readonly json: boolean;
	readonly redactor: SecretRedactor;
	/** Where lines go; defaults to the console. Tests pass a stream to read the output back. */
	readonly transports?: winston.transport[];
}

const SPLAT = Symbol.for('splat');

/**
 * Redaction runs first in the format chain, on the message and on every metadata field, so no
 * later format (JSON, printf, errors) can render a secret that was passed as metadata.
 */
function redactSecrets(redactor: SecretRedactor): winston.Logform.Format {
	return winston.format((info) => {
		for (const key of Object.keys(info)) {
			if (key !== 'level') info[key] = redactor.redactDeep(info[key]);
		}
		if (Array.isArray(info[SPLAT])) info[SPLAT] = redactor.redactDeep(info[SPLAT]);
		return info;
	})();
}

/** The log context each line was written in, kept beside the line so it is never serialized as a field. */
const writtenIn = new WeakMap<object, LogContext>();

/**
 * Notes the log context on each line as it is written. Winston may run the formats later than the
 * call (when its stream buffers under back-pressure), outside the interaction's or request's context;
 * child loggers (a plugin's) write through this same method, so they are covered too.
 */
function noteContextOnWrite(logger: Logger): void {
	const write = logger.write.bind(logger);
	Object.defineProperty(logger, 'write', {
		value: (info: object) => {
			const context = currentLogContext();
			if (context !== undefined && !writtenIn.has(info)) writtenIn.set(info, context);
			return write(info);
		}
	});
}

function contextOf(info: winston.Logform.TransformableInfo): LogContext | undefined {
	return writtenIn.get(info) ?? currentLogContext();
}

/**
 * Adds the fields of the interaction or API request being served (see log-context.ts) under their fixed
 * names. A field the line sets itself wins: a plugin's logger labels `plugin` on its own lines.
 * Runs before redaction, so these fields are redacted like any other.
 */
const logContextFields = winston.format((info) => {
	const context = contextOf(info);
	if (context === undefined) return info;
	for (const field of LOG_CONTEXT_FIELDS) {
		const value = context[field];
		if (value !== undefined && info[field] === undefined) info[field] = value;
	}
	return info;
});

const readableLine = winston.format.printf((info) => {
	const { level, message, timestamp, stack, ...meta } = info;
	const details = Object.keys(meta).length > 0 ? ` ${inspect(meta, { depth: 4, breakLength: Infinity })}` : '';
	const trace = typeof stack === 'string' ? `\n${stack}` : '';
	return `${String(timestamp)} ${String(level)} ${String(message)}${details}${trace}`;
});

export function createLogger(options: LoggerOptions): Logger {
	const format = winston.format.combine(
		winston.format.errors({ stack: true }),
		logContextFields(),
		redactSecrets(options.redactor),
		winston.format.timestamp(),
		options.json ? winston.format.json() : winston.format.combine(winston.format.colorize(), readableLine)
	);
	const logger = winston.createLogger({
		level: options.level,
		format,
		transports: options.transports ?? [new winston.transports.Console({ stderrLevels: ['error', 'warn'] })]
	});
	noteContextOnWrite(logger);
	return logger;
}

const SAPPHIRE_TO_WINSTON: Readonly<Record<SapphireLogLevel, LogLevel | null>> = {
	[SapphireLogLevel.Trace]: 'silly',
	[SapphireLogLevel.Debug]: 'debug',
	[SapphireLogLevel.Info]: 'info',
	[SapphireLogLevel.Warn]: 'warn',
	[SapphireLogLevel.Error]: 'error',
	[SapphireLogLevel.Fatal]: 'error',
	[SapphireLogLevel.None]: null
};

/** Sapphire's logger interface on top of winston, so framework messages get the same redaction and format. */
export class SapphireWinstonLogger implements ILogger {
	public constructor(private readonly logger: Logger) {}

	public has(level: SapphireLogLevel): boolean {
		const target = SAPPHIRE_TO_WINSTON[level];
		return target !== null && this.logger.isLevelEnabled(target);
	}

	public trace(...values: readonly unknown[]): void {
		this.write(SapphireLogLevel.Trace, ...values);
	}

	public debug(...values: readonly unknown[]): void {
		this.write(SapphireLogLevel.Debug, ...values);
	}

	public info(...values: readonly unknown[]): void {
		this.write(SapphireLogLevel.Info, ...values);
	}

	public warn(...values: readonly unknown[]): void {
		this.write(SapphireLogLevel.Warn, ...values);
	}

	public error(...values: readonly unknown[]): void {
		this.write(SapphireLogLevel.Error, ...values);
	}

	public fatal(...values: readonly unknown[]): void {
		this.write(SapphireLogLevel.Fatal, ...values);
	}

	public write(level: SapphireLogLevel, ...values: readonly unknown[]): void {
		const target = SAPPHIRE_TO_WINSTON[level];
		if (target === null || !this.logger.isLevelEnabled(target)) return;
		const message = values.map((value) => (typeof value === 'string' ? value : inspect(value, { depth: 3 }))).join(' ');
		this.logger.log(target, message);
	}
}
