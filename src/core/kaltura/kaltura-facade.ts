import type { Client, RequestBuilder } from 'kaltura-client';
import { z } from 'zod';
import { batchOutcomes, multiRequest, type BatchItemOutcome } from './kaltura-batch.js';
import { createKalturaClient } from './kaltura-client.js';
import { KALTURA_BUSY_MESSAGE, KalturaError, toKalturaError } from './kaltura-error.js';
import type { KalturaAccount } from './ks-sources.js';
import { KalturaSessionType } from './ks-v2.js';
import type { KsSource, SessionCache, SessionRequest } from './session-cache.js';
import { actionOf, type KalturaRequest } from './services/kaltura-request.js';
import { measuredKalturaCall } from '../metrics/kaltura-metrics.js';

/** A session acting as one Kaltura user; the type is always USER, so a piece cannot ask for more by accident. */
export interface UserSession {
	readonly userId: string;
	/** Only what the call needs, e.g. `list:*` or `eventId:12,role:viewerRole`. */
	readonly privileges: string;
}

/** One Kaltura API action as kaltura-client sends it: service id and action, `user.get`, `schedule_scheduleevent.list`. */
export type KalturaAction = `${string}.${string}`;

/**
 * What an administrative call needs and why. The ADMIN session made for it may reach these actions and
 * no others: it carries `urirestrict` with their API paths, which Kaltura enforces on every call
 * (kSessionBase::isValidUriRestrict), so a session made to read users cannot delete one.
 */
export interface AdminScope {
	/** At least one: the actions the session may call. */
	readonly actions: readonly [KalturaAction, ...KalturaAction[]];
	/** Why these actions need an ADMIN session rather than a member's USER one. */
	readonly why: string;
}

/** What {@link adminPrivileges} accepts as a scope: at least one `service.action`, and a reason. */
const ADMIN_SCOPE = z.object({
	actions: z.array(z.string().regex(/^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/)).min(1),
	why: z.string().trim().min(1)
});

/** Bounds of a KS handed to a member: long enough to get into the room, never past a day (Kaltura's own default). */
export const MEMBER_KS_MIN_SECONDS = 5 * 60;
export const MEMBER_KS_MAX_SECONDS = 24 * 60 * 60;

/**
 * How the facade waits out Kaltura's rate limit (`ACTION_BLOCKED`). Kaltura counts calls per service,
 * action and partner over a short window (KalturaResponseCacher::rateLimit, `_expiry` 10 s unless configured),
 * so a few retries spread over a few seconds usually get through; past `maxTotalMs` the member is told
 * Kaltura is busy instead of waiting on.
 */
export interface BusyRetryPolicy {
	/** Tries in all, the first included. */
	readonly attempts: number;
	/** The wait before the first retry; each later one doubles it. */
	readonly baseDelayMs: number;
	/** The most all the waits of one call may add up to. */
	readonly maxTotalMs: number;
	/** 0 ≤ x < 1; each wait is drawn between half and all of its step, so callers blocked together do not retry together. */
	readonly random?: () => number;
	readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_BUSY_RETRY: BusyRetryPolicy = { attempts: 4, baseDelayMs: 500, maxTotalMs: 4_000 };

/** The Kaltura user the bot's own administrative calls are attributed to. */
export const BOT_KALTURA_USER_ID = 'kaltura-discord-bot';

/** The path kaltura-client posts an action to, and the one Kaltura compares `urirestrict` with (REQUEST_URI). */
function apiPathOf(action: string, basePath: string): string {
	const separator = action.indexOf('.');
	return `${basePath}/api_v3/service/${action.slice(0, separator)}/action/${action.slice(separator + 1)}`;
}

/** The request, when its action is one of the scope's; refuses it before anything is sent otherwise. */
function inScope(scope: AdminScope, request: RequestBuilder): RequestBuilder {
	const target = actionOf(request);
	if (!scope.actions.some((action) => action === target))
		throw new TypeError(`The admin Kaltura call ${target} is outside the scope it was given.`);
	return request;
}

/** What one attempt runs: a kaltura-client request, or a batch of them. */
interface Executable<T> {
	execute(client: Client): Promise<T>;
}

/** A request's builder and the reading of its answer; a bare builder's answer is taken as it came (`unknown`). */
function parts<T>(request: KalturaRequest<T> | (() => RequestBuilder)): KalturaRequest<T | unknown> {
	return typeof request === 'function' ? { build: request, parse: (answer) => answer } : request;
}

function isKalturaRequest<T>(request: KalturaRequest<T> | RequestBuilder): request is KalturaRequest<T> {
	return 'parse' in request && typeof request.parse === 'function';
}

/** A batch entry as a {@link KalturaRequest}; a bare builder is built already. */
function batchPart<T>(request: KalturaRequest<T> | RequestBuilder): KalturaRequest<T | unknown> {
	return isKalturaRequest(request) ? request : { build: () => request, parse: (answer) => answer };
}

/** A batch entry's outcome with its answer read; an answer its request cannot read is that entry's failure. */
function parsedOutcome<T>(outcome: BatchItemOutcome<unknown>, parse: ((answer: unknown) => T) | undefined): BatchItemOutcome<T> {
	if (!outcome.ok) return outcome;
	if (parse === undefined)
		return { ok: false, error: new KalturaError('BAD_RESPONSE', 'Kaltura gave an answer the bot did not understand.', false) };
	try {
		return { ok: true, value: parse(outcome.value) };
	} catch (error) {
		return { ok: false, error: toKalturaError(error) };
	}
}

/**
 * The privileges of an ADMIN session for a scope; refuses a scope that names nothing. `serviceUrl` is the
 * API base the calls go to: a path in it (`https://proxy.example/kaltura`) is part of the URI Kaltura sees.
 */
export function adminPrivileges(scope: AdminScope, serviceUrl = ''): string {
	// Checked at run time too: a scope can come from JavaScript, or from a value typed loosely.
	const named = ADMIN_SCOPE.safeParse(scope);
	if (!named.success) throw new TypeError('An admin Kaltura call must name the actions it needs (service.action) and why.');
	const basePath = serviceUrl === '' ? '' : new URL(serviceUrl).pathname.replace(/\/+$/, '');
	return `urirestrict:${named.data.actions.map((action) => apiPathOf(action, basePath)).join('|')}`;
}

/**
 * The privileges of an ADMIN session for a batch of a scope's actions sent as one `multirequest`. Kaltura
 * checks `urirestrict` against the HTTP request's REQUEST_URI (kaltura/server
 * alpha/apps/kaltura/lib/request/kSessionBase.class.php isValidUriRestrict), and every request of a
 * multirequest is dispatched, and its KS checked, within the one HTTP request to
 * `/api_v3/service/multirequest` (api_v3/lib/KalturaFrontController.php handleMultiRequest): a KS limited
 * to the actions' own paths is refused there, so this one adds that path. Kaltura cannot then tell the
 * actions of a multirequest apart; {@link KalturaFacade.adminBatch} refuses any request outside the scope
 * before sending, and the KS, like every admin KS, never leaves the bot. Its own session (other
 * privileges) is kept apart from the scope's single-request one.
 */
export function adminBatchPrivileges(scope: AdminScope, serviceUrl = ''): string {
	const basePath = serviceUrl === '' ? '' : new URL(serviceUrl).pathname.replace(/\/+$/, '');
	return `${adminPrivileges(scope, serviceUrl)}|${basePath}/api_v3/service/multirequest`;
}

/**
 * The one way pieces call Kaltura: takes a session description (user, type, privileges), gets a KS
 * for it from the cache, runs the request with a time limit and turns every failure into a
 * {@link KalturaError} with a sentence fit for users. A KS Kaltura refuses is replaced and the call
 * tried once more; Kaltura's rate limit (`ACTION_BLOCKED`) is waited out a few times
 * with back-off ({@link BusyRetryPolicy}) before the member is told Kaltura is busy.
 *
 * The bot's own sessions (cached) and the KS it hands to members (minted for each link) come from two
 * sources (with app tokens, two tokens): a member holding their KS can end it with `session.end`, and
 * that must never end the bot's.
 */
export class KalturaFacade {
	public constructor(
		private readonly account: KalturaAccount,
		public readonly sessions: SessionCache,
		/** Where members' KS (join links) come from; a facade without it (the command-line tools) hands out none. */
		private readonly memberSource?: KsSource,
		private readonly busyRetry: BusyRetryPolicy = DEFAULT_BUSY_RETRY
	) {}

	public get partnerId(): number {
		return this.account.partnerId;
	}

	/**
	 * Runs a request with a USER session: the default for everything a member does. A {@link KalturaRequest}
	 * resolves with its parsed answer; a bare request builder (for tools that read nothing of the answer, or
	 * check it themselves) with the answer as it came, `unknown`.
	 */
	public call<T>(session: UserSession, request: KalturaRequest<T>): Promise<T>;
	public call(session: UserSession, request: () => RequestBuilder): Promise<unknown>;
	public async call<T>(session: UserSession, request: KalturaRequest<T> | (() => RequestBuilder)): Promise<T | unknown> {
		const { build, parse } = parts(request);
		return measuredKalturaCall(actionOf(build()), async () => parse(await this.#run({ ...session, type: KalturaSessionType.User }, build)));
	}

	/**
	 * Runs a request with an ADMIN session, for the few calls Kaltura allows only to admins (managing
	 * users, scheduling meetings, cloning notification templates). The session may reach only the
	 * actions of its scope; a request outside it is refused before anything is sent. Answers as {@link call} does.
	 */
	public admin<T>(scope: AdminScope, request: KalturaRequest<T>): Promise<T>;
	public admin(scope: AdminScope, request: () => RequestBuilder): Promise<unknown>;
	public async admin<T>(scope: AdminScope, request: KalturaRequest<T> | (() => RequestBuilder)): Promise<T | unknown> {
		const { build, parse } = parts(request);
		const privileges = adminPrivileges(scope, this.account.serviceUrl);
		inScope(scope, build());
		// Each attempt builds the request anew: it is checked again, so a builder that changes between calls cannot slip past.
		return measuredKalturaCall(actionOf(build()), async () =>
			parse(await this.#run({ userId: BOT_KALTURA_USER_ID, type: KalturaSessionType.Admin, privileges }, () => inScope(scope, build())))
		);
	}

	/**
	 * Runs several requests of one scope as a single Kaltura `multirequest` with an ADMIN session (see
	 * {@link adminBatchPrivileges}), through the same retries as {@link admin}. Resolves with one outcome per
	 * request, in order: Kaltura answers a request that failed on its own in its slot, and the others still
	 * run; an answer its request cannot parse is that request's failure (a {@link KalturaResponseError}).
	 * Rejects with a {@link KalturaError} when the batch as a whole failed (no answer, or every request
	 * refused for the same reason); nothing in it can be assumed done then.
	 */
	public adminBatch<T>(scope: AdminScope, requests: () => readonly KalturaRequest<T>[]): Promise<BatchItemOutcome<T>[]>;
	public adminBatch(scope: AdminScope, requests: () => readonly RequestBuilder[]): Promise<BatchItemOutcome<unknown>[]>;
	public async adminBatch<T>(
		scope: AdminScope,
		requests: () => readonly (KalturaRequest<T> | RequestBuilder)[]
	): Promise<BatchItemOutcome<T | unknown>[]> {
		const privileges = adminBatchPrivileges(scope, this.account.serviceUrl);
		const built = requests().map(batchPart);
		if (built.length === 0) return [];
		for (const { build } of built) inScope(scope, build());
		const outcomes = await measuredKalturaCall('multirequest', () =>
			this.#run({ userId: BOT_KALTURA_USER_ID, type: KalturaSessionType.Admin, privileges }, () => {
				// The batch's session may reach any action (see adminBatchPrivileges): each attempt's requests are checked again.
				const batch = multiRequest(requests().map((request) => inScope(scope, batchPart(request).build())));
				// Checked inside the attempt, so that a batch refused whole (a stale KS, the rate limit) is retried as one request is.
				return {
					execute: async (client: Client) => batchOutcomes(await batch.execute(client), built.length)
				};
			})
		);
		return outcomes.map((outcome, index) => parsedOutcome(outcome, built[index]?.parse));
	}

	/**
	 * A KS for a member to use outside the bot (a join link): a USER session from the members' source,
	 * valid for `lifetimeSeconds` from now (5 minutes to 24 hours). Minted anew for every link, never
	 * taken from a cache: an older one may have less life left than asked, or have been ended by its
	 * holder (`session.end`), and two links never share a KS.
	 */
	public async userKs(session: UserSession, lifetimeSeconds: number): Promise<string> {
		if (this.memberSource === undefined) throw new Error('This Kaltura facade hands out no sessions to members.');
		if (!(lifetimeSeconds >= MEMBER_KS_MIN_SECONDS && lifetimeSeconds <= MEMBER_KS_MAX_SECONDS)) {
			throw new RangeError(`A member's Kaltura session lives ${MEMBER_KS_MIN_SECONDS} to ${MEMBER_KS_MAX_SECONDS} seconds.`);
		}
		try {
			return (await this.memberSource.mint({ ...session, type: KalturaSessionType.User }, Math.ceil(lifetimeSeconds))).ks;
		} catch (error) {
			throw toKalturaError(error);
		}
	}

	async #run<T>(session: SessionRequest, request: () => Executable<T>): Promise<T> {
		return this.#retryWhileBusy(async () => {
			try {
				return await this.#attempt(session, request);
			} catch (error) {
				const failure = toKalturaError(error);
				// Whatever the reason (expired, ended, its actions limit used up), the refused KS is done with; a new one may
				// go on. A second refusal stands: for EXCEEDED_ACTIONS_LIMIT its sentence says Kaltura is busy.
				if (failure.code !== 'INVALID_KS') throw failure;
				this.sessions.invalidate(session);
				try {
					return await this.#attempt(session, request);
				} catch (retryError) {
					throw toKalturaError(retryError);
				}
			}
		});
	}

	/**
	 * Runs `attempt` again while it fails with `ACTION_BLOCKED`, Kaltura's rate limit, waiting longer each time
	 * (exponential back-off with jitter, bounded by the policy), then gives up with "Kaltura is busy". Safe for
	 * any action, writes included: Kaltura refuses a blocked call before running it (KalturaDispatcher::dispatch
	 * checks the rate limit before invoking the action). `attempt` throws {@link KalturaError}s; a batch all of
	 * whose requests were blocked throws one with code `ACTION_BLOCKED` (batchOutcomes) and is retried whole.
	 */
	async #retryWhileBusy<T>(attempt: () => Promise<T>): Promise<T> {
		const {
			attempts,
			baseDelayMs,
			maxTotalMs,
			random = Math.random,
			sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms))
		} = this.busyRetry;
		let waited = 0;
		for (let tried = 1; ; tried++) {
			try {
				return await attempt();
			} catch (error) {
				if (!(error instanceof KalturaError) || error.code !== 'ACTION_BLOCKED') throw error;
				const step = baseDelayMs * 2 ** (tried - 1);
				const delay = Math.min(Math.round(step / 2 + (random() * step) / 2), maxTotalMs - waited);
				if (tried >= attempts || delay <= 0) throw new KalturaError('ACTION_BLOCKED', KALTURA_BUSY_MESSAGE, true);
				waited += delay;
				await sleep(delay);
			}
		}
	}

	async #attempt<T>(session: SessionRequest, request: () => Executable<T>): Promise<T> {
		const ks = await this.sessions.get(session);
		const client = createKalturaClient(this.account);
		client.setKs(ks);
		return request().execute(client);
	}
}
