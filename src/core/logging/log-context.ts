import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { BaseInteraction } from 'discord.js';

/**
 * What every log line written while serving one interaction or one API request carries, so a log
 * stack can follow it from Discord (or the API) to Kaltura and back. The keys are the field names of
 * the JSON lines; they are fixed here and never taken from user input.
 */
export interface LogContext {
	/** Discord's id of the interaction being served. */
	readonly interactionId?: string;
	/** The API request's id, also sent back as `X-Request-Id`. */
	readonly requestId?: string;
	readonly guildId?: string;
	/** The slash or context-menu command's name. */
	readonly command?: string;
	/** The plugin whose code serves it, when known. */
	readonly plugin?: string;
}

/** The field names, in the order log lines show them. */
export const LOG_CONTEXT_FIELDS = ['interactionId', 'requestId', 'guildId', 'command', 'plugin'] as const satisfies readonly (keyof LogContext)[];

const storage = new AsyncLocalStorage<LogContext>();

/** The context of the interaction or request being served, if any. */
export function currentLogContext(): LogContext | undefined {
	return storage.getStore();
}

/**
 * Runs `work` (and everything it starts, awaited or not) inside `context`. `run` rather than
 * `enterWith`: the context ends when `work` returns, so nothing after it (the next gateway event
 * handled on the same socket, say) inherits it.
 */
export function runWithLogContext<Result>(context: LogContext, work: () => Result): Result {
	return storage.run(context, work);
}

/** The context of an interaction: its id, guild and command name (which Discord checks against the registered commands). */
export function interactionLogContext(interaction: BaseInteraction): LogContext {
	const command = interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : undefined;
	return {
		interactionId: interaction.id,
		...(interaction.guildId === null ? {} : { guildId: interaction.guildId }),
		...(command === undefined ? {} : { command })
	};
}

/**
 * An incoming id a proxy may have set: letters, digits, `-`, `_`, `.`, `:` and `=`, 8 to 64 of them.
 * Nothing that could start a new log line, inject markup or bloat every line of the request.
 */
const INCOMING_REQUEST_ID = /^[\w.:=-]{8,64}$/;

/** The incoming `X-Request-Id` when it is well formed (one value, strict pattern), else a fresh UUID. */
export function requestIdFrom(incoming: string | readonly string[] | undefined): string {
	return typeof incoming === 'string' && INCOMING_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Each API request's context, set by the request-id middleware for the route that serves it. */
const requestContexts = new WeakMap<object, LogContext>();

/** Gives an API request its id and log context; returns the id. */
export function beginRequestContext(request: object, incoming: string | readonly string[] | undefined): string {
	const requestId = requestIdFrom(incoming);
	requestContexts.set(request, { requestId });
	return requestId;
}

/** The context {@link beginRequestContext} gave this request, if any. */
export function requestLogContext(request: object): LogContext | undefined {
	return requestContexts.get(request);
}
