import { inspect } from 'node:util';
import { LogLevel as SapphireLogLevel, type ILogger } from '@sapphire/framework';
import winston from 'winston';
import type { LogLevel } from './env.js';
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

const readableLine = winston.format.printf((info) => {
	const { level, message, timestamp, stack, ...meta } = info;
	const details = Object.keys(meta).length > 0 ? ` ${inspect(meta, { depth: 4, breakLength: Infinity })}` : '';
	const trace = typeof stack === 'string' ? `\n${stack}` : '';
	return `${String(timestamp)} ${String(level)} ${String(message)}${details}${trace}`;
});

export function createLogger(options: LoggerOptions): Logger {
	const format = winston.format.combine(
		winston.format.errors({ stack: true }),
		redactSecrets(options.redactor),
		winston.format.timestamp(),
		options.json ? winston.format.json() : winston.format.combine(winston.format.colorize(), readableLine)
	);
	return winston.createLogger({
		level: options.level,
		format,
		transports: options.transports ?? [new winston.transports.Console({ stderrLevels: ['error', 'warn'] })]
	});
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
