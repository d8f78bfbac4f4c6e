import { setTimeout as sleep } from 'node:timers/promises';
import {
	DiscordjsErrorCodes,
	GatewayIntentBits,
	GatewayRateLimitError,
	IntentsBitField,
	type Collection,
	type Guild,
	type GuildMember,
	type Snowflake
} from 'discord.js';

/**
 * A rate-limited request is tried once more after Discord's `retry_after` plus this much, so that the retry
 * does not land a hair before the window reopens.
 */
const RETRY_MARGIN_MS = 250;
/** Discord's window is 30 s, so a longer `retry_after` is not waited out by default. */
const DEFAULT_MAX_WAIT_MS = 30_000 + RETRY_MARGIN_MS;

export type MemberListProblem = 'no-members-intent' | 'rate-limited' | 'timeout';

/** The whole member list of a guild could not be had; `userMessage` is a sentence fit for a server admin. */
export class MemberListUnavailableError extends Error {
	public override readonly name = 'MemberListUnavailableError';

	public constructor(
		public readonly problem: MemberListProblem,
		public readonly userMessage: string,
		/** For 'rate-limited': when Discord takes the next whole-list request for this guild. */
		public readonly retryAt?: Date,
		options?: ErrorOptions
	) {
		super(userMessage, options);
	}
}

export interface FetchAllMembersOptions {
	/** The longest `retry_after` waited out before the one retry; a longer one fails at once. Default 30.25 s. */
	readonly maxWaitMs?: number;
}

/**
 * The whole member list of `guild`, the way Discord allows it to be asked for.
 *
 * - Discord sends the whole list only to a session with the GUILD_MEMBERS intent and otherwise sends nothing
 *   back (discord-api-docs developers/events/gateway-events.mdx, "Request Guild Members"), so discord.js would
 *   wait two minutes for GuildMembersTimeout. Without the intent this fails at once, saying how to enable it.
 * - Discord answers a whole-list request once per guild every 30 s and the others with a RATE_LIMITED event
 *   (developers/change-log.mdx, August 14, 2025); discord.js 14.28.1 rejects `guild.members.fetch()` with
 *   GatewayRateLimitError for it (src/managers/GuildMemberManager.js, `_fetchMany`: a `Raw` RATE_LIMITED
 *   dispatch whose `meta.nonce` is the request's). This waits `retry_after` and tries once more; if that is
 *   refused too, or the wait is longer than `maxWaitMs`, it fails saying when to try again.
 *
 * `signal` stops a wait or an attempt in flight (the promise then rejects with the signal's reason).
 */
export async function fetchAllMembers(
	guild: Guild,
	signal?: AbortSignal,
	options: FetchAllMembersOptions = {}
): Promise<Collection<Snowflake, GuildMember>> {
	if (!new IntentsBitField(guild.client.options.intents).has(GatewayIntentBits.GuildMembers)) {
		throw new MemberListUnavailableError(
			'no-members-intent',
			'The bot cannot read the member list: enable "Server Members Intent" for the bot in the Discord developer portal (Bot page, Privileged Gateway Intents), then add GuildMembers to DISCORD_PRIVILEGED_INTENTS and restart the bot.'
		);
	}
	const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
	for (let attempt = 1; ; attempt++) {
		signal?.throwIfAborted();
		try {
			return await untilAborted(guild.members.fetch(), signal);
		} catch (error) {
			if (error instanceof GatewayRateLimitError) {
				const waitMs = Math.ceil(error.data.retry_after * 1000) + RETRY_MARGIN_MS;
				if (attempt === 1 && waitMs <= maxWaitMs) {
					await sleep(waitMs, undefined, signal ? { signal } : undefined);
					continue;
				}
				throw rateLimited(waitMs, error);
			}
			if (isMembersTimeout(error)) {
				throw new MemberListUnavailableError(
					'timeout',
					'Discord did not send the member list in time. Please try again in a few minutes.',
					undefined,
					{ cause: error }
				);
			}
			throw error;
		}
	}
}

function rateLimited(waitMs: number, cause: GatewayRateLimitError): MemberListUnavailableError {
	const retryAt = new Date(Date.now() + waitMs);
	const seconds = Math.ceil(waitMs / 1000);
	return new MemberListUnavailableError(
		'rate-limited',
		`Discord sends a server's whole member list only once every 30 seconds, and it was just asked for. Please try again in ${seconds} second${seconds === 1 ? '' : 's'} (after ${retryAt.toISOString()}).`,
		retryAt,
		{ cause }
	);
}

function isMembersTimeout(error: unknown): boolean {
	return error instanceof Error && 'code' in error && error.code === DiscordjsErrorCodes.GuildMembersTimeout;
}

/** `promise`, or a rejection with the signal's reason as soon as it is aborted. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) return promise;
	return new Promise<T>((resolve, reject) => {
		const onAbort = (): void => reject(signal.reason);
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			}
		);
	});
}
