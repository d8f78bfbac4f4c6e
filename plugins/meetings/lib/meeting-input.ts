import { z } from 'zod';
import { MEETING_TYPES, type MeetingType } from './meeting-types.js';

export const TITLE_MAX = 256;
export const DESCRIPTION_MAX = 2000;
export const DURATION_MIN_MINUTES = 5;
export const DURATION_MAX_MINUTES = 24 * 60;
/** How far ahead a meeting may be scheduled: a year. */
export const STARTS_IN_MAX_MINUTES = 366 * 24 * 60;
/** Clocks differ a little between an API client and the bot; a start this far back still counts as now. */
const PAST_TOLERANCE_SECONDS = 60;

/** What a member or an API client asks for, before it is checked. */
export interface MeetingRequest {
	readonly type: MeetingType;
	readonly title: string;
	readonly description?: string | undefined;
	readonly durationMinutes?: number | undefined;
	/** Unix seconds; now when absent. */
	readonly startsAt?: number | undefined;
}

/** A checked request: the title trimmed, the times in unix seconds. */
export interface MeetingPlan {
	readonly type: MeetingType;
	readonly title: string;
	readonly description: string;
	readonly startsAt: number;
	readonly endsAt: number;
}

export type PlanResult = { readonly ok: true; readonly plan: MeetingPlan } | { readonly ok: false; readonly reason: string };

/** The one place the limits are checked, for commands and the API alike. */
export function planMeeting(request: MeetingRequest, defaultDurationMinutes: number, nowSeconds = Math.floor(Date.now() / 1000)): PlanResult {
	const title = request.title.trim();
	if (title.length === 0 || title.length > TITLE_MAX) return { ok: false, reason: `A meeting title has 1 to ${TITLE_MAX} characters.` };
	const description = (request.description ?? '').trim();
	if (description.length > DESCRIPTION_MAX) return { ok: false, reason: `A meeting description has at most ${DESCRIPTION_MAX} characters.` };
	const duration = request.durationMinutes ?? defaultDurationMinutes;
	if (!Number.isInteger(duration) || duration < DURATION_MIN_MINUTES || duration > DURATION_MAX_MINUTES) {
		return { ok: false, reason: `A meeting lasts from ${DURATION_MIN_MINUTES} minutes to 24 hours (${DURATION_MAX_MINUTES} minutes).` };
	}
	const startsAt = request.startsAt === undefined ? nowSeconds : Math.floor(request.startsAt);
	if (!Number.isFinite(startsAt) || startsAt < nowSeconds - PAST_TOLERANCE_SECONDS)
		return { ok: false, reason: 'A meeting cannot start in the past.' };
	if (startsAt > nowSeconds + STARTS_IN_MAX_MINUTES * 60) return { ok: false, reason: 'A meeting can be scheduled at most a year ahead.' };
	// A meeting starting "now" begins at the current second, so it is live (and listed) at once.
	const start = Math.max(startsAt, nowSeconds);
	return { ok: true, plan: { type: request.type, title, description, startsAt: start, endsAt: start + duration * 60 } };
}

/** Body of `POST /guilds/:guildId/meetings`. */
export const meetingRequestBody = z.strictObject({
	type: z.enum(MEETING_TYPES),
	title: z.string().trim().min(1).max(TITLE_MAX),
	description: z.string().max(DESCRIPTION_MAX).optional(),
	durationMinutes: z.number().int().min(DURATION_MIN_MINUTES).max(DURATION_MAX_MINUTES).optional(),
	/** ISO 8601 date-time with an offset; now when absent. */
	startsAt: z.iso.datetime({ offset: true }).optional(),
	/** A channel of the guild to announce the meeting in; none: no announcement. */
	channelId: z
		.string()
		.regex(/^\d{17,20}$/, { error: 'must be a Discord channel id' })
		.optional()
});
