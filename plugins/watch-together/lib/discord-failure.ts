import { ApiError } from '#sdk';
import { DiscordRateLimitedError, DiscordUnreachableError } from './discord-activity-api.js';

/** Discord failing to answer the Activity's questions, as the route's answer: 503 with Retry-After while it asks to wait, 502 when unreachable; other errors as they are. */
export function apiErrorOfDiscordFailure(error: unknown): unknown {
	if (error instanceof DiscordRateLimitedError)
		return new ApiError(
			503,
			'discord_unavailable',
			'Discord asked the bot to wait; try again shortly.',
			{ retryAfter: error.retryAfter },
			{ 'retry-after': String(error.retryAfter) }
		);
	if (error instanceof DiscordUnreachableError) return new ApiError(502, 'discord_unavailable', 'Discord could not be asked; try again shortly.');
	return error;
}
