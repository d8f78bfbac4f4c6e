import kaltura, { type Client, type RequestBuilder } from 'kaltura-client';
import { z } from 'zod';
import { KalturaError } from '../kaltura-error.js';

/**
 * One Kaltura call as the bot makes it: how to build the request, and how to read its answer. The answer's
 * type comes from the schema that checks it, never from the caller, so a call cannot be read as something
 * it did not return. Run it with {@link KalturaFacade.admin} (an ADMIN session limited to a scope) or
 * {@link KalturaFacade.call} (a member's or the bot's USER session): which one is the caller's choice, made
 * in the call itself.
 */
export interface KalturaRequest<T> {
	/** Builds the kaltura-client request; called once per attempt, since a request carries its attempt's KS. */
	build(): RequestBuilder;
	/** Reads Kaltura's answer; throws {@link KalturaResponseError} when it is not what the action returns. */
	parse(answer: unknown): T;
}

/**
 * Kaltura answered, but not with what the action returns (a missing or mistyped field, a list that is not
 * one). Its `userMessage` is the usual plain sentence; `message` and `problems` name the action and the
 * fields at fault, never their values (an answer may carry a KS or a stream password).
 */
export class KalturaResponseError extends KalturaError {
	public constructor(
		/** The action whose answer was refused (`schedule_scheduleevent.get`). */
		public readonly action: string,
		/** Each problem as `path: what was expected`. */
		public readonly problems: readonly string[]
	) {
		super('BAD_RESPONSE', 'Kaltura gave an answer the bot did not understand.', false);
		this.name = 'KalturaResponseError';
		this.message = `Kaltura's answer to ${action} was not understood: ${problems.join('; ')}`;
	}
}

/** Zod's issues as `path: message`; zod's messages for these schemas say what was expected and received, never the value. */
function problemsOf(error: z.ZodError): string[] {
	return error.issues.map((issue) => `${issue.path.length === 0 ? '(answer)' : issue.path.join('.')}: ${issue.message}`);
}

/** Checks an answer against a schema; the parsed value (unknown fields stripped) or a {@link KalturaResponseError}. */
export function parseAnswer<S extends z.ZodType>(action: string, schema: S, answer: unknown): z.output<S> {
	const result = schema.safeParse(answer);
	if (!result.success) throw new KalturaResponseError(action, problemsOf(result.error));
	return result.data;
}

/** The `service.action` a kaltura-client request is sent to, as its builder holds it. */
export function actionOf(request: RequestBuilder): string {
	return `${String(request.service)}.${String(request.action)}`;
}

/** A request whose answer is checked against `schema`. */
export function kalturaRequest<S extends z.ZodType>(build: () => RequestBuilder, schema: S): KalturaRequest<z.output<S>> {
	return { build, parse: (answer) => parseAnswer(actionOf(build()), schema, answer) };
}

/** For calls whose answer the bot does not read (deleting what a failed creation made): any answer will do. */
export const IGNORED_ANSWER = z.unknown().transform((): void => undefined);

/**
 * A Kaltura list response (KalturaListResponse): `objects` (left out of the JSON when the list is empty) and
 * `totalCount`, the number of matches across all pages.
 */
export function listResponse<S extends z.ZodType>(item: S) {
	return z.object({ objects: z.array(item).default([]), totalCount: z.number().int().nonnegative() });
}

/** A page as kaltura-client sends it (KalturaFilterPager). */
export interface Page {
	readonly pageSize: number;
	readonly pageIndex: number;
}

/** One page of a list action's answer: its items and the number of matches across all pages. */
export interface KalturaList<Item> {
	objects: Item[];
	totalCount: number;
}

/**
 * A list action's request: `build` gets kaltura-client's pager for `page`, and the answer is read as a
 * {@link listResponse} of `item`.
 */
export function listRequest<S extends z.ZodType>(
	item: S,
	page: Page,
	build: (pager: object) => RequestBuilder
): KalturaRequest<KalturaList<z.output<S>>> {
	return kalturaRequest(() => build(new kaltura.objects.FilterPager({ ...page })), listResponse(item));
}

/** Runs a request on a client of the caller's own (how sessions are started, before there is one to use), its answer parsed. */
export async function executeOn<T>(request: KalturaRequest<T>, client: Client): Promise<T> {
	return request.parse(await request.build().execute(client));
}
