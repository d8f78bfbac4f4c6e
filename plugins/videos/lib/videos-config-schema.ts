import { z } from 'zod';
import { type ConfigIssue, linkTemplateProblem, type RuntimeConfigCheck, watchUrlTemplateSchema } from '#sdk';

export const videosConfigSchema = z.strictObject({
	/** How many results `/video search` shows at most. */
	resultLimit: z.number().int().min(1).max(10).default(5),
	/** When set, search only these Kaltura categories (ids). */
	categoryIds: z
		.array(z.string().regex(/^\d+$/, { error: 'must be a Kaltura category id (digits)' }))
		.max(50)
		.default([]),
	/** Where a result links to; {partnerId} and {entryId} are filled in. https only, no user name or port (the host list is checked by videosRuntimeCheck). */
	watchUrlTemplate: watchUrlTemplateSchema
});

export type VideosConfig = z.output<typeof videosConfigSchema>;

/** Watch links may point only at the hosts the operator lists in KALTURA_LINK_HOSTS (checked again on every link built). */
export const videosRuntimeCheck: RuntimeConfigCheck = (section, policy) => {
	const template = typeof section === 'object' && section !== null && 'watchUrlTemplate' in section ? section.watchUrlTemplate : undefined;
	if (typeof template !== 'string') return [];
	const problem = linkTemplateProblem(template, policy.partnerId, policy);
	return problem === undefined ? [] : [{ path: 'watchUrlTemplate', message: problem } satisfies ConfigIssue];
};
