import { z } from 'zod';
import { type ConfigIssue, linkTemplateProblem, type OperatorPolicy, type RuntimeConfigCheck, watchUrlTemplateSchema } from '#sdk';

/** Any partner id will do to check a template's shape; the host is checked against the real one at write and at use. */
const SHAPE_CHECK_PARTNER_ID = 1;

export const WHO_CAN_START = ['everyone', 'moderators'] as const;

export const meetingsConfigSchema = z.strictObject({
	/** The KAF instance the join links open; `{partnerId}` is filled in. */
	kafBaseUrl: z
		.string()
		// Not z.url(): `{partnerId}` in the host name is not a valid URL until it is filled in.
		.regex(/^[a-z]+:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i, { error: 'must be a base URL (no ? or #) such as https://{partnerId}.kaf.kaltura.com' })
		// The shape every link must have (no user name, no port); the host list needs the environment: see meetingsRuntimeCheck.
		.superRefine((template, context) => {
			const problem = linkTemplateProblem(template, SHAPE_CHECK_PARTNER_ID);
			if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
		})
		.default('https://{partnerId}.kaf.kaltura.com'),
	/**
	 * Where viewers of a live stream (type `live`) watch it; `{partnerId}` and `{entryId}` are filled in. The same
	 * shape and default as the videos plugin's `watchUrlTemplate`, bounded by KALTURA_LINK_HOSTS the same way.
	 */
	watchUrlTemplate: watchUrlTemplateSchema,
	/**
	 * A Kaltura category the bot's live stream entries are put in, so that notification subscriptions limited to
	 * that category (`/notifications subscribe category:`) get their start and end too. None by default. At run
	 * time only a category the operator lists in KALTURA_LIVE_CATEGORY_IDS (see meetingsRuntimeCheck and
	 * liveCategoryOf): the bot's admin session can put an entry in any category of the partner, and another
	 * server's subscriptions or a MediaSpace channel must not be reachable by picking its id.
	 */
	liveCategoryId: z
		// `/config set` reads a value as JSON when it can: `123` arrives as a number.
		.union([
			z.string().regex(/^\d{1,15}$/, { error: 'must be a Kaltura category id (digits)' }),
			z.number().int().min(1).max(999_999_999_999_999)
		])
		.transform(String)
		.optional(),
	/** How long a meeting lasts when the command does not say. */
	defaultDurationMinutes: z.number().int().min(5).max(1440).default(60),
	/**
	 * `moderators` (default): only members whose mapped Kaltura role is moderator or admin, or who have
	 * Discord's Manage Events permission, may start one; `everyone`: any member.
	 */
	whoCanStart: z.enum(WHO_CAN_START).default('moderators')
});

export type MeetingsConfig = z.output<typeof meetingsConfigSchema>;

/**
 * Join links carry the member's Kaltura session: an admin may point them only at the hosts the operator
 * lists in KALTURA_LINK_HOSTS (checked again on every link built, see kafBaseUrl). Watch links of live
 * streams carry none, but are links the bot shows all the same, bounded the same way.
 */
export const meetingsRuntimeCheck: RuntimeConfigCheck = (section, policy) => {
	const issues: ConfigIssue[] = [];
	if (typeof section !== 'object' || section === null) return issues;
	const links = [
		['kafBaseUrl', 'kafBaseUrl' in section ? section.kafBaseUrl : undefined],
		['watchUrlTemplate', 'watchUrlTemplate' in section ? section.watchUrlTemplate : undefined]
	] as const;
	for (const [path, template] of links) {
		if (typeof template !== 'string') continue;
		const problem = linkTemplateProblem(template, policy.partnerId, policy);
		if (problem !== undefined) issues.push({ path, message: problem });
	}
	const category = 'liveCategoryId' in section ? section.liveCategoryId : undefined;
	if (category !== undefined && !policy.liveCategoryIds.has(String(category))) {
		issues.push({ path: 'liveCategoryId', message: liveCategoryRefusal(String(category), policy) });
	}
	return issues;
};

function liveCategoryRefusal(category: string, policy: Pick<OperatorPolicy, 'liveCategoryIds'>): string {
	const allowed = [...policy.liveCategoryIds];
	return `the category ${category} is not one this bot's operator lets servers put live streams in (KALTURA_LIVE_CATEGORY_IDS: ${allowed.length === 0 ? 'none' : allowed.join(', ')})`;
}
